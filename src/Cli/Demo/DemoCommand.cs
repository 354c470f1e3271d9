using System.Globalization;
using System.Text.Json;
using Kim.Hosting;
using Microsoft.Extensions.Configuration;

namespace Kim.Cli.Demo;

/// <summary>
/// <c>demo</c>: fills a running platform (<c>./run.sh</c>) with a year of the KIM loop through the gateway and prints
/// what the dashboard, the ranking, the before-and-after comparison and the typology then show.
/// </summary>
public static class DemoCommand
{
    public static async Task<int> RunAsync(string[] arguments, IConfiguration configuration, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var gateway = new Uri(CommandLine.Option(arguments, "gateway") ?? "http://127.0.0.1:8080/");
        var cases = int.TryParse(CommandLine.Option(arguments, "cases"), out var n) && n is > 0 and <= 2000 ? n : 120;
        var key = new DevSecrets(RepositoryPaths.DataDirectory(configuration)).SigningKey();
        using var client = new DemoClient(gateway, key);
        output.WriteLine($"KIM-Demo: ein Jahr Fallarbeit und Steuerung für kommune, caritas und diakonie über {gateway}");
        try
        {
            var outcome = await new DemoScenario(client, output, DemoScenario.DefaultTenants).RunAsync(cases, cancellationToken);
            await DemoFigures.PrintAsync(client, outcome, output, cancellationToken);
            output.WriteLine($"Dauer: {outcome.Took.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s, {client.Requests} Anfragen an das Gateway");
            return 0;
        }
        catch (DemoRequestException exception)
        {
            error.WriteLine("Demo abgebrochen: " + exception.Message);
            return 1;
        }
        catch (HttpRequestException exception)
        {
            error.WriteLine($"Das Gateway unter {gateway} antwortet nicht ({exception.Message}). Läuft die Plattform (./run.sh)?");
            return 1;
        }
    }
}

/// <summary>What a coordinator sees after the demo, read back through the reports' API.</summary>
public static class DemoFigures
{
    public static async Task PrintAsync(DemoClient client, DemoOutcome outcome, TextWriter output, CancellationToken cancellationToken)
    {
        var office = client.As(DemoScenario.DefaultTenants[0], Kim.ServiceDefaults.Security.KimRoles.Coordinator, "demo-auswertung");
        var dashboard = await office.GetAsync("/api/reports/dashboard", cancellationToken);
        var comparison = await office.GetAsync($"/api/reports/referrals/comparison?chain={outcome.ChainId}&versionA=1&versionB=2", cancellationToken);
        var theme = await office.GetAsync($"/api/network/themes/{outcome.ThemeId}", cancellationToken);
        output.WriteLine();
        output.WriteLine($"Eingespielt: {outcome.Cases} Fälle, {outcome.Referrals} Vermittlungen, {outcome.Reconstructions} Fallrekonstruktionen, {outcome.Meetings} Sitzungen der Lenkungsgruppe");
        output.WriteLine($"Dashboard: {dashboard.GetProperty("openReferrals").GetInt32()} offene Vermittlungen, davon {dashboard.GetProperty("overdueReferrals").GetInt32()} überfällig");
        var top = dashboard.GetProperty("bottlenecks").EnumerateArray().FirstOrDefault();
        if (top.ValueKind == JsonValueKind.Object)
        {
            output.WriteLine($"Engpass Nr. 1: {top.GetProperty("chain").GetString()} (Version {top.GetProperty("version").GetInt32()}), Schritt {top.GetProperty("step").GetInt32()} " +
                $"„{top.GetProperty("activity").GetString()}“ bei {top.GetProperty("provider").GetString()}: {top.GetProperty("referrals").GetInt32()} Vermittlungen, " +
                $"Median {Days(top.GetProperty("medianDays"))} (Ziel {top.GetProperty("targetDays").GetInt32()} Tage), {Percent(top.GetProperty("sharePastTarget"))} über der Zielzeit, Hürden genannt: {top.GetProperty("barriers").GetInt32()}");
        }

        output.WriteLine($"Thema „{theme.GetProperty("title").GetString()}“: {theme.GetProperty("reconstructions").GetInt32()} Fallrekonstruktionen aus {theme.GetProperty("tenants").GetInt32()} Mandanten, " +
            (theme.GetProperty("status").GetString() == "Assigned" ? "einer beauftragten Arbeitsgruppe zugewiesen" : "noch keiner Arbeitsgruppe zugewiesen"));
        output.WriteLine("Vorher und nachher (Version 1 gegen Version 2), je Schritt Median der Übergabe und Anteil über der Zielzeit:");
        foreach (var step in comparison.GetProperty("steps").EnumerateArray())
        {
            var (a, b) = (step.GetProperty("a"), step.GetProperty("b"));
            output.WriteLine($"  Schritt {step.GetProperty("step").GetInt32()}: {Days(a.GetProperty("medianDays"))} -> {Days(b.GetProperty("medianDays"))}, {Percent(a.GetProperty("sharePastTarget"))} -> {Percent(b.GetProperty("sharePastTarget"))} " +
                $"({a.GetProperty("referrals").GetInt32()} / {b.GetProperty("referrals").GetInt32()} Vermittlungen)");
        }

        output.WriteLine($"Umsetzungstyp {DateTime.UtcNow.Year}: {outcome.AssessmentBefore.GetProperty("typeLabel").GetString()} -> {outcome.AssessmentAfter.GetProperty("typeLabel").GetString()} " +
            $"(Mittel {Score(outcome.AssessmentBefore.GetProperty("mean"))} -> {Score(outcome.AssessmentAfter.GetProperty("mean"))})");
        foreach (var dimension in outcome.AssessmentAfter.GetProperty("dimensions").EnumerateArray())
        {
            var name = dimension.GetProperty("dimension").GetString();
            var earlier = outcome.AssessmentBefore.GetProperty("dimensions").EnumerateArray().Single(d => d.GetProperty("dimension").GetString() == name);
            output.WriteLine($"  {dimension.GetProperty("label").GetString()}: {Score(earlier.GetProperty("score"))} -> {Score(dimension.GetProperty("score"))}");
        }
    }

    // The platform runs in invariant globalization mode: German decimal commas by hand.
    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture).Replace('.', ',');

    private static string Days(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? Number(value.GetDouble(), "0.0") + " Tage" : "nicht erreicht";

    private static string Percent(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? Number(value.GetDouble() * 100, "0") + " %" : "–";

    private static string Score(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? Number(value.GetDouble(), "0.00") : "–";
}
