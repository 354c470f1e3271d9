using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Kim.WebApp.Tests;

/// <summary>
/// The ministry's analyst in a real browser: the printable state report with every table from Tab. 2 to Tab. 13, a cross
/// table split by municipality kind whose small cell is shown as suppressed (never as 0), and the typology's distribution.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class StateViewTests(WebFixture web, ITestOutputHelper output)
{
    private const string Period = "2022";

    [Fact]
    public async Task The_analyst_reads_the_state_report_and_a_cross_table_with_a_suppressed_cell()
    {
        var checkedBefore = web.Checked.Count;
        var violations = new List<string>();
        await ImportAsync();

        var page = await web.SignInWithSecondFactorAsync("state-reporter@land");
        Assert.Contains("Landesauswertung", await page.Locator("nav[aria-label=Hauptnavigation]").InnerTextAsync(), StringComparison.Ordinal);
        await page.GotoAsync($"/land?zeitraum={Period}");
        // The seventh submission comes as a file: after the import the page is fetched anew (post/redirect/get), its
        // address names only the period and the municipality's key, and the submission is listed.
        await page.GetByLabel("Meldung (JSON-Datei)").SetInputFilesAsync(new FilePayload
        {
            Name = "meldung.json",
            MimeType = "application/json",
            Buffer = System.Text.Encoding.UTF8.GetBytes(Submission("05711", "IndependentCity", "No").ToJsonString()),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Meldung einlesen" }).ClickAsync();
        await page.WaitForURLAsync($"**/land?zeitraum={Period}&importiert=05711*");
        Assert.Contains("Kommune 05711 (Gemeindeschlüssel 05711)", await page.Locator("#import-done").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(7, await page.GetByRole(AriaRole.Table, new() { Name = $"Eingegangene Meldungen {Period}" }).Locator("tbody tr").CountAsync());
        var types = page.GetByRole(AriaRole.Table, new() { Name = $"Verteilung der Umsetzungstypen {Period} (Anzahl Kommunen): Werte als Tabelle" });
        Assert.Equal(4, await types.Locator("tbody tr").CountAsync());
        violations.AddRange(await web.CheckAsync(page, "Landesauswertung"));

        await page.GetByRole(AriaRole.Link, new() { Name = $"Landesbericht {Period} (druckbar, Tab. 2 bis 13)" }).ClickAsync();
        await page.WaitForURLAsync($"**/land/bericht?zeitraum={Period}");
        var headings = await page.Locator("main h2").AllInnerTextsAsync();
        foreach (var number in new[] { "Tab. 2", "Tab. 3", "Tab. 4", "Tab. 5", "Tab. 10", "Tab. 11", "Tab. 12", "Tab. 13" })
        {
            Assert.Single(headings, h => h.StartsWith(number + " ", StringComparison.Ordinal));
            Assert.Equal(1, await page.GetByRole(AriaRole.Table, new() { Name = number + " " }).CountAsync());
        }

        Assert.Contains("Abb. 6 Typen der Arbeitsprozesse in KIM", headings);
        var tab4 = await page.GetByRole(AriaRole.Table, new() { Name = "Tab. 4 " }).Locator("tr").Filter(new() { HasText = "nein" }).First.Locator("th, td").AllInnerTextsAsync();
        // Six districts said yes, the one independent city said no: its cell is suppressed, not a count, not 0, and not
        // "< 5" either, since its complements (suppressed so that the 1 cannot be worked out) need not be small.
        Assert.Equal("unterdrückt", tab4[3]);
        Assert.Contains("Nur Kommunen, die CM-Stellen an die Freie Wohlfahrt weitergeleitet haben", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        violations.AddRange(await web.CheckAsync(page, "Landesbericht"));
        await web.ScreenshotAsync(page, "land-bericht");
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        Assert.False(await page.Locator("header.kim-header").IsVisibleAsync());
        await page.EmulateMediaAsync(new() { Media = Media.Screen });

        await page.GotoAsync($"/land/kreuztabelle?zeitraum={Period}");
        await page.GetByLabel("Frage (Zeilen)").SelectOptionAsync(new SelectOptionValue { Value = "caseManagement.forwardedToCarriers" });
        await page.GetByLabel("Spalten").SelectOptionAsync(new SelectOptionValue { Value = "kind" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Tabelle anzeigen" }).ClickAsync();
        await page.WaitForURLAsync("**/land/kreuztabelle?**spalten=kind**");
        var table = page.GetByRole(AriaRole.Table, new() { Name = $"Weiterleitung von CM-Stellen an die Freie Wohlfahrt ({Period})" });
        var columns = await table.Locator("thead th").AllInnerTextsAsync();
        Assert.Equal(["Weiterleitung von CM-Stellen an die Freie Wohlfahrt", "Landkreis (n = 6): Anzahl", "Landkreis: %", "kreisfreie Stadt (n = 1): Anzahl", "kreisfreie Stadt: %", "Gesamt (n = 7): Anzahl", "Gesamt: %"], columns);
        var yes = await table.Locator("tbody tr").Filter(new() { HasText = "ja" }).First.Locator("th, td").AllInnerTextsAsync();
        // The answer labels its row for screen readers: a row header, not a data cell.
        Assert.Equal("row", await table.Locator("tbody tr").Filter(new() { HasText = "ja" }).First.Locator("th").GetAttributeAsync("scope"));
        // The city's 1 beside its visible 0 and n = 1 would name its answer: its "ja" (0) goes with it, and the totals of
        // both rows, which would otherwise be 6 + the hidden cells.
        Assert.Equal(["ja", "6", "100 %", "unterdrückt", "unterdrückt", "unterdrückt", "unterdrückt"], yes);
        var no = await table.Locator("tbody tr").Filter(new() { HasText = "nein" }).First.Locator("th, td").AllInnerTextsAsync();
        Assert.Equal(["nein", "0", "0 %", "unterdrückt", "unterdrückt", "unterdrückt", "unterdrückt"], no);
        // The bars of the total column name the suppressed cells instead of drawing 0 %.
        var bars = page.GetByRole(AriaRole.Table, new() { Name = "Anteile der Antworten in Prozent, Gesamt: Werte als Tabelle" });
        Assert.Equal(["ja", "unterdrückt"], await bars.Locator("tbody tr").First.Locator("td").AllInnerTextsAsync());
        violations.AddRange(await web.CheckAsync(page, "Kreuztabelle nach Art der Kommune"));

        // A subgroup: only the municipalities that forwarded CM positions.
        await page.GetByLabel("Teilgruppe").SelectOptionAsync(new SelectOptionValue { Value = "caseManagement.forwardedToCarriers:Yes" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Tabelle anzeigen" }).ClickAsync();
        await page.WaitForURLAsync("**/land/kreuztabelle?**teilgruppe=**");
        // Its size among the cities (0) and in total (6) are suppressed in the table above (the total would give the city's
        // answer away): only the districts' column remains.
        Assert.Equal(
            ["Weiterleitung von CM-Stellen an die Freie Wohlfahrt", "Landkreis (n = 6): Anzahl", "Landkreis: %"],
            await table.Locator("thead th").AllInnerTextsAsync());
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Tabelle als CSV herunterladen" }).ClickAsync());
        Assert.Contains("ja;6;100", await File.ReadAllTextAsync(await download.PathAsync()), StringComparison.Ordinal);
        violations.AddRange(await web.CheckAsync(page, "Kreuztabelle einer Teilgruppe"));

        web.ReportAccessibility(output, "state view", checkedBefore, 4, violations);
    }

    /// <summary>Six submissions of 2022 through the state API, six districts forwarding to carriers (the seventh, an independent city not forwarding, is imported as a file in the browser).</summary>
    private async Task ImportAsync()
    {
        using var ministry = new HttpClient { BaseAddress = web.Platform.GatewayUrl }.WithToken(web.Platform.DevSigningKey, "land", KimRoles.StateReporter, "state-view-test");
        foreach (var id in new[] { "05754", "05758", "05762", "05766", "05770", "05774" })
        {
            var response = await ministry.PostAsJsonAsync("/api/state/submissions", Submission(id, "District", "Yes"));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    private static JsonObject Submission(string id, string kind, string forwarded) => new()
    {
        ["schemaVersion"] = "1.0",
        ["period"] = Period,
        ["municipality"] = new JsonObject { ["id"] = id, ["name"] = $"Kommune {id}", ["kind"] = kind },
        ["staffing"] = new JsonArray(
            new JsonObject { ["buildingBlock"] = 1, ["role"] = "Coordinator", ["allocatedFte"] = 4.0, ["requestedFte"] = 4.0, ["filledFte"] = 3.0 },
            new JsonObject { ["buildingBlock"] = 2, ["role"] = "CaseManager", ["allocatedFte"] = 10.0, ["requestedFte"] = 9.0, ["filledFte"] = 8.5 }),
        ["projectOrganisation"] = new JsonObject
        {
            ["teamStructure"] = "Developed",
            ["coordinatingOfficeDecidesStrategically"] = true,
            ["steeringGroup"] = "Established",
            ["steeringGroupMeetings"] = 3,
            ["rulesOfProcedure"] = "Yes",
            ["resolutionsBinding"] = true,
            ["steeringGroupComposition"] = "Parity",
            ["strategicSteeringIsTask"] = true,
        },
        ["network"] = new JsonObject { ["migrantOrganisationsInSteeringGroup"] = "Yes", ["networkFunction"] = "Negotiation", ["jointTeamSessionsWithCarriers"] = true },
        ["caseManagement"] = new JsonObject
        {
            ["casesTaken"] = 120,
            ["forwardedToCarriers"] = forwarded,
            ["forwardedToMemberTowns"] = kind == "District" ? "No" : "NotApplicable",
            ["superordinateCoordination"] = true,
            ["cmConcept"] = "Yes",
            ["crossDomainConcept"] = "Planned",
            ["commonInstruments"] = new JsonObject { ["assessment"] = true, ["goalPlanning"] = true, ["servicePlanning"] = true, ["serviceSteering"] = forwarded == "Yes" },
            ["caseReviewFrequency"] = "SeveralPerMonth",
            ["caseReconstructionFrequency"] = "Monthly",
        },
        ["caseBasis"] = new JsonObject { ["workingGroups"] = 3, ["workingGroupsWithWrittenMandate"] = 2, ["workingGroupsCaseBased"] = true, ["transferCaseToSystem"] = "Planned" },
        ["systemLevel"] = new JsonObject { ["goalSystem"] = "Yes", ["serviceChains"] = "Planned" },
        ["reflection"] = new JsonObject { ["systematicReflection"] = false, ["publicDiscussion"] = true, ["reportsToCouncil"] = true },
        ["selfAssessment"] = new JsonObject { ["municipal"] = 2, ["stateWide"] = 3 },
    };
}
