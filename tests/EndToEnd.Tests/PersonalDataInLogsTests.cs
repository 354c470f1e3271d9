using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kim.Contracts;
using Kim.Testing;
using Xunit.Abstractions;

namespace Kim.EndToEnd.Tests;

/// <summary>
/// A day's case work through the gateway, including the mistakes clients make (names in a query string, a token in
/// the URL), and then every line every process of the platform wrote is searched for the client's names.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PersonalDataInLogsTests(PlatformFixture platform, ITestOutputHelper output)
{
    [Fact]
    public async Task After_a_walk_through_a_days_case_work_no_log_line_of_any_process_contains_a_client_name()
    {
        var givenName = "Ilka" + Letters();
        var familyName = "Szymanska" + Letters();
        var correctedName = "Brzezinska" + Letters();
        var http = platform.GatewayClient("caritas", user: "log-scan");
        const string tenant = "/api/tenants/caritas";

        var digits = Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var email = $"ilka.{Letters()}@example.org";
        var client = new { givenName, familyName, birthDate = "1977-03-21", phone = $"+49 2104 {digits}", email, address = $"Lindenstraße {digits}, Mettmann" };
        using var opened = await http.PostAsJsonAsync($"{tenant}/cases", new { client, accessRoute = "SelfReferral" });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var id = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        // A duplicate warning, a search, and a search the old way with the name and a token in the URL.
        Assert.Equal(HttpStatusCode.Conflict, (await http.PostAsJsonAsync($"{tenant}/cases", new { client })).StatusCode);
        using var search = await http.PostAsJsonAsync($"{tenant}/cases/search", new { name = $"{givenName} {familyName[..5]}" });
        Assert.Equal(1, (await search.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("total").GetInt32());
        await http.GetAsync($"{tenant}/cases?familyName={familyName}&givenName={givenName}&access_token=secret-{familyName}");
        await http.GetAsync($"/openapi/caseservice.json?q={familyName}");

        // The day's work: journal, follow-up, document, correction, reads.
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync($"{tenant}/cases/{id}/journal",
            new { kind = "Counselling", occurredOn = LocalDay.Of(DateTime.UtcNow), text = $"Gespräch mit {givenName} {familyName}" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync($"{tenant}/cases/{id}/follow-ups",
            new { kind = "Appointment", title = $"Termin {familyName}", dueOn = LocalDay.Of(DateTime.UtcNow).AddDays(3) })).StatusCode);
        using (var form = new MultipartFormDataContent())
        {
            var file = new ByteArrayContent([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(file, "file", $"Pass_{familyName}.png");
            Assert.Equal(HttpStatusCode.Created, (await http.PostAsync($"{tenant}/cases/{id}/documents", form)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await http.PutAsJsonAsync($"{tenant}/cases/{id}/client", new { client = client with { familyName = correctedName }, reason = $"vorher {familyName}" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PutAsJsonAsync($"{tenant}/cases/{id}/client", new { client = client with { familyName = correctedName + "\u0000" } })).StatusCode);
        foreach (var path in new[] { $"/cases/{id}", $"/cases/{id}/journal", $"/cases/{id}/client/history", $"/cases/{id}/documents", "/due-dates" })
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(tenant + path)).StatusCode);
        }

        // Give the processes a moment to write what they log about these requests and their events.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var lines = platform.Platform.LogLines.ToList();
        var names = new[] { givenName, familyName, correctedName, digits, email, "1977-03-21", "21.03.1977" };
        var found = lines.Where(l => names.Any(n => l.Line.Contains(n, StringComparison.OrdinalIgnoreCase))).ToList();
        TestFigures.Report(output, "figures.txt",
            $"log scan: {lines.Count} log lines of {lines.Select(l => l.Resource).Distinct().Count()} processes searched for the client's names, phone, e-mail, address and birth date after a day's case work: {found.Count} found");

        Assert.True(lines.Any(l => l.Resource == "gateway") && lines.Any(l => l.Resource == "caseservice-caritas"), "the scan must see the gateway's and the CaseService's logs");
        Assert.Contains(lines, l => l.Line.Contains($"{tenant}/cases/search", StringComparison.Ordinal));
        Assert.True(found.Count == 0, "personal data in logs:\n" + string.Join('\n', found.Take(10).Select(l => $"{l.Resource}: {l.Line}")));
    }

    private static string Letters() => new(Guid.NewGuid().ToString("N").Where(char.IsAsciiLetter).Take(6).Select(char.ToLowerInvariant).ToArray());
}
