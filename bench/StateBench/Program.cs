using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Kim.Bench;
using Kim.Hosting;
using Kim.ReportingService.Infrastructure;
using Kim.ReportingService.State;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Kim.StateBench;

/// <summary>
/// The ministry's view at the scale of a state: cross tables (JSON, labelled, CSV), the implementation types and the
/// report's tables (Tab. 2 to 13) requested through the gateway, first with the submissions of the 2022 evaluation's
/// size (54 municipalities, one period), then with 400 municipalities over 5 periods, in the same run against the same
/// running platform. Submissions are generated in the interchange format, checked by the service's own validator and
/// written into the state-mode ReportingService's database with its own EF Core model (bypassing the import endpoint,
/// whose survey accepts only the configured municipalities).
/// Usage: StateBench &lt;gateway&gt; &lt;data directory&gt; [rounds=60]
/// </summary>
public static class Bench
{
    private const double TargetMs = 200;
    private const int WarmUpRounds = 5;
    private static readonly string[] BaselinePeriods = ["2022"];
    private static readonly string[] Periods = ["2022", "2023", "2024", "2025", "2026"];

    /// <summary>What the ministry asks for: several row variables, with and without the kind as column and a filter.</summary>
    private static readonly (string Group, string Path)[] Requests =
    [
        ("crosstab", "api/state/crosstab?period={0}&row=caseManagement.casesTaken"),
        ("crosstab", "api/state/crosstab?period={0}&row=caseManagement.forwardedToCarriers&column=kind"),
        ("crosstab", "api/state/crosstab?period={0}&row=selfAssessment.municipal&column=kind"),
        ("crosstab", "api/state/crosstab?period={0}&row=caseManagement.commonInstruments.serviceSteering&column=kind&where=caseManagement.forwardedToCarriers:Yes"),
        ("crosstab", "api/state/crosstab/labelled?period={0}&row=network.networkFunction&column=kind"),
        ("crosstab-csv", "api/state/crosstab.csv?period={0}&row=caseManagement.caseReviewFrequency&column=kind"),
        ("crosstab-csv", "api/state/crosstab.csv?period={0}&row=projectOrganisation.steeringGroupMeetings&column=kind&where=projectOrganisation.steeringGroup:Established"),
        ("typology", "api/state/typology?period={0}"),
        ("typology", "api/state/typology.csv?period={0}"),
        ("report", "api/state/report/data?period={0}"),
        ("report", "api/state/report?period={0}"),
    ];

    private static readonly (string Group, string Name, string Description)[] Groups =
    [
        ("crosstab", "state-crosstab-p95", "cross tables as JSON (4 row variables, with and without kind and filter) and labelled"),
        ("crosstab-csv", "state-crosstab-csv-p95", "cross tables as CSV (2 row variables, one filtered)"),
        ("typology", "state-typology-p95", "implementation types as JSON and CSV"),
        ("report", "state-report-p95", "the report's tables Tab. 2-13 with types and positions, as data and as HTML"),
    ];


    public static async Task<int> Main(string[] args)
    {
        var gateway = new Uri(args.ElementAtOrDefault(0) ?? "http://127.0.0.1:8080/");
        var data = Path.GetFullPath(args.ElementAtOrDefault(1) ?? ".data-bench-state");
        var rounds = int.Parse(args.ElementAtOrDefault(2) ?? "60", CultureInfo.InvariantCulture);
        var database = Path.Combine(data, ResourceNames.StateReportingService, "reportingdb.db");

        using var api = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(30) }) { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(2) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            DevTokens.Create(new DevSecrets(data).SigningKey(), StateAccess.MinistryTenant, KimRoles.StateReporter, "bench-ministry", DateTime.UtcNow, TimeSpan.FromHours(2)));

        var municipalities = StateSubmissions.Municipalities(400);
        var service = StateServiceProcess();

        var loaded = await LoadAsync(database, [.. municipalities.Take(54)], BaselinePeriods);
        Console.WriteLine($"baseline: {loaded} submissions (54 municipalities x {BaselinePeriods.Length} period) written in the state ReportingService's database");
        var baseline = await MeasureAsync(api, BaselinePeriods, rounds);
        var baselineMemory = Memory(service);

        loaded = await LoadAsync(database, municipalities, Periods);
        Console.WriteLine($"measured: {loaded} submissions ({municipalities.Count} municipalities x {Periods.Length} periods)");
        var measured = await MeasureAsync(api, Periods, rounds);
        var measuredMemory = Memory(service);

        Console.WriteLine($"state endpoints through the gateway, {rounds} rounds of {Requests.Length} requests after {WarmUpRounds} warm-up rounds (p50 / p95 in ms):");
        foreach (var (_, path) in Requests)
        {
            var key = Key(path);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {key}: 400 x 5 {Percentile(measured[key], 0.5):F1} / {Percentile(measured[key], 0.95):F1}; 54 x 1 {Percentile(baseline[key], 0.5):F1} / {Percentile(baseline[key], 0.95):F1}"));
        }

        Console.WriteLine($"state ReportingService memory (RSS): 54 x 1 {baselineMemory.Rss:F0} MB, 400 x 5 {measuredMemory.Rss:F0} MB, peak {measuredMemory.Peak:F0} MB");
        foreach (var (group, name, description) in Groups)
        {
            var keys = Requests.Where(r => r.Group == group).Select(r => Key(r.Path)).ToList();
            var p95 = Percentile([.. keys.SelectMany(k => measured[k])], 0.95);
            var b95 = Percentile([.. keys.SelectMany(k => baseline[k])], 0.95);
            Console.WriteLine($"  {name}: {description}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"TARGET {name} | measured {p95:F1} ms | baseline 54 municipalities x 1 period {b95:F1} ms | ratio {p95 / b95:F2} | target < {TargetMs:F0} ms with 400 municipalities x 5 periods | {(p95 < TargetMs ? "met" : "not met")}"));
        }

        return 0;
    }

    private static string Key(string path) => path[(path.IndexOf("state/", StringComparison.Ordinal) + 6)..].Replace("period={0}&", "", StringComparison.Ordinal).Replace("?period={0}", "", StringComparison.Ordinal);

    /// <summary>Every request of the set once per round, in turn, so both sizes see the same mix; each period in turn.</summary>
    private static async Task<Dictionary<string, List<double>>> MeasureAsync(HttpClient api, IReadOnlyList<string> periods, int rounds)
    {
        // What the tables count: the municipalities of each period, as the types list them.
        foreach (var period in periods)
        {
            var table = JsonNode.Parse(await api.GetStringAsync($"api/state/typology?period={period}"))!;
            Console.WriteLine($"  period {period}: {table["municipalities"]!.AsArray().Count} municipalities in the types");
        }

        var times = Requests.ToDictionary(r => Key(r.Path), _ => new List<double>());
        for (var round = 0; round < WarmUpRounds + rounds; round++)
        {
            foreach (var (_, path) in Requests)
            {
                var period = periods[round % periods.Count];
                var started = Stopwatch.GetTimestamp();
                using var response = await api.GetAsync(string.Format(CultureInfo.InvariantCulture, path, period));
                var body = await response.Content.ReadAsByteArrayAsync();
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
                }

                if (round >= WarmUpRounds)
                {
                    times[Key(path)].Add(elapsed);
                }
            }
        }

        return times;
    }

    /// <summary>
    /// Replaces every state submission by one per municipality and period, each checked by the service's validator
    /// (schema and consistency rules) and stored as the import stores it.
    /// </summary>
    private static async Task<int> LoadAsync(string database, IReadOnlyList<Municipality> municipalities, IReadOnlyList<string> periods)
    {
        var options = new DbContextOptionsBuilder<SqliteReportingDbContext>().UseSqlite($"Data Source={database}").Options;
        await using var db = new SqliteReportingDbContext(options);
        await db.Database.MigrateAsync();
        await db.StateSubmissions.ExecuteDeleteAsync();
        var validator = new SubmissionValidator();
        var random = new Random(2022);
        var now = DateTime.UtcNow;
        for (var step = 0; step < periods.Count; step++)
        {
            foreach (var municipality in municipalities)
            {
                var json = StateSubmissions.Submission(municipality, periods[step], step, random).ToJsonString();
                var violations = validator.Validate(json, out var document);
                if (violations.Count > 0)
                {
                    throw new InvalidOperationException($"Generated submission {municipality.Id} {periods[step]} invalid: {string.Join("; ", violations)}");
                }

                db.StateSubmissions.Add(new StateSubmission
                {
                    Id = Guid.CreateVersion7(),
                    Period = periods[step],
                    MunicipalityId = municipality.Id,
                    MunicipalityName = municipality.Name,
                    Kind = municipality.Kind,
                    Document = document!.ToJsonString(),
                    ImportedAt = now,
                    ImportedBy = "bench-import",
                });
            }
        }

        return await db.SaveChangesAsync();
    }

    /// <summary>The state-mode ReportingService's process: a ReportingService whose environment sets the state mode.</summary>
    private static int? StateServiceProcess()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (!int.TryParse(Path.GetFileName(directory), out var pid)
                    || !File.ReadAllText(Path.Combine(directory, "cmdline")).Contains("Kim.ReportingService", StringComparison.Ordinal)
                    || File.ReadAllText(Path.Combine(directory, "cmdline")).Contains("dotnet\0run", StringComparison.Ordinal))
                {
                    continue;
                }

                if (File.ReadAllText(Path.Combine(directory, "environ")).Split('\0').Contains("Reporting__Mode=State"))
                {
                    return pid;
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
            }
        }

        Console.WriteLine("(the state ReportingService's process was not found; its memory is not shown)");
        return null;
    }

    private static (double Rss, double Peak) Memory(int? pid)
    {
        if (pid is null || !File.Exists($"/proc/{pid}/status"))
        {
            return (double.NaN, double.NaN);
        }

        var lines = File.ReadAllLines($"/proc/{pid}/status");
        double Megabytes(string field) => lines.FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal)) is { } line
            ? double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024
            : double.NaN;
        return (Megabytes("VmRSS:"), Megabytes("VmHWM:"));
    }

    private static double Percentile(List<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
