using System.Net.Http.Json;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Kim.WebApp.Tests;

/// <summary>
/// The municipal submission to the state in a real browser: manual answers edited (a wrong number refused at the field)
/// by one coordinator, whose own approval is refused (four eyes), approved by a second coordinator, sent to the state
/// with its receipt shown; the state reporter then finds it among the imported submissions, and a refused file import
/// lists its violations.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class SubmissionTests(WebFixture web, ITestOutputHelper output)
{
    [Fact]
    public async Task Manual_answers_are_approved_by_a_second_coordinator_sent_to_the_state_and_imported_there()
    {
        var checkedBefore = web.Checked.Count;
        var violations = new List<string>();
        var year = DateTime.UtcNow.Year.ToString(System.Globalization.CultureInfo.InvariantCulture);

        await LiveDataAsync(year);

        var editor = await web.SignInWithSecondFactorAsync("coordinator@kommune");
        await editor.GotoAsync("/meldung");
        violations.AddRange(await web.CheckAsync(editor, "Meldung: Zeiträume"));
        await editor.GetByRole(AriaRole.Link, new() { Name = $"Meldung {year}", Exact = true }).ClickAsync();
        await editor.WaitForURLAsync($"**/meldung/{year}");
        Assert.Equal("Entwurf", await editor.Locator("#status").InnerTextAsync());
        // Live data answers where it can (the case work of the other tests), the rest waits for a manual answer.
        var origins = await editor.GetByRole(AriaRole.Table, new() { Name = "Case Management" }).InnerTextAsync();
        Assert.Contains("aus Live-Daten", origins, StringComparison.Ordinal);
        Assert.Contains("noch keine Angabe", await editor.GetByRole(AriaRole.Table, new() { Name = "Reflexion" }).InnerTextAsync(), StringComparison.Ordinal);
        violations.AddRange(await web.CheckAsync(editor, "Meldung: Entwurf"));

        await editor.GetByLabel("Teamstruktur der Koordinierenden Stelle").SelectOptionAsync(new SelectOptionValue { Label = "ausgebaut" });
        await editor.GetByLabel("Bewertung des Umsetzungsprozesses in der Kommune").SelectOptionAsync(new SelectOptionValue { Label = "2" });
        await editor.GetByLabel("Systematische Reflexion").SelectOptionAsync(new SelectOptionValue { Label = "ja" });
        var groups = editor.GetByLabel("Anzahl Projektarbeitsgruppen");
        await groups.FillAsync("zehn");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Angaben speichern" }).ClickAsync();
        await editor.WaitForLoadStateAsync();
        Assert.Equal("true", await groups.GetAttributeAsync("aria-invalid"));
        Assert.Equal("zehn", await groups.InputValueAsync());
        Assert.Contains("ganze Zahl", await editor.Locator("#f-answer-casebasis-workinggroups-error").InnerTextAsync(), StringComparison.Ordinal);
        violations.AddRange(await web.CheckAsync(editor, "Meldung: Eingabe abgelehnt"));

        await groups.FillAsync("12");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Angaben speichern" }).ClickAsync();
        await editor.WaitForURLAsync($"**/meldung/{year}?erledigt=gespeichert");
        var organisation = await editor.GetByRole(AriaRole.Table, new() { Name = "Projektorganisation" }).Locator("tr").Filter(new() { HasText = "Teamstruktur" }).AllInnerTextsAsync();
        Assert.Contains("ausgebaut", organisation[0], StringComparison.Ordinal);
        Assert.Contains("manuelle Angabe", organisation[0], StringComparison.Ordinal);

        // Four eyes: who changed the answers last cannot approve them.
        await editor.GetByLabel("Name der freigebenden Person, wie er im Bericht steht").FillAsync("Erika Muster");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Meldung freigeben" }).ClickAsync();
        await editor.WaitForLoadStateAsync();
        var refusal = await editor.Locator("#refusal").InnerTextAsync();
        Assert.Contains("Vier-Augen-Prinzip", refusal, StringComparison.Ordinal);
        Assert.Contains("Eine zweite Koordinatorin oder ein zweiter Koordinator gibt die Meldung frei", refusal, StringComparison.Ordinal);
        Assert.Equal("Entwurf", await editor.Locator("#status").InnerTextAsync());
        violations.AddRange(await web.CheckAsync(editor, "Meldung: Freigabe verweigert"));

        var approver = await web.SignInWithSecondFactorAsync("coordinator-2@kommune");
        await approver.GotoAsync($"/meldung/{year}");
        await approver.GetByLabel("Name der freigebenden Person, wie er im Bericht steht").FillAsync("Dr. Maria Beispiel");
        await approver.GetByRole(AriaRole.Button, new() { Name = "Meldung freigeben" }).ClickAsync();
        await approver.WaitForURLAsync($"**/meldung/{year}?erledigt=freigegeben");
        Assert.Equal("freigegeben", await approver.Locator("#status").InnerTextAsync());
        Assert.Contains("Dr. Maria Beispiel", await approver.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        violations.AddRange(await web.CheckAsync(approver, "Meldung: freigegeben"));

        await approver.GetByRole(AriaRole.Button, new() { Name = "An das Land übermitteln" }).ClickAsync();
        await approver.WaitForURLAsync($"**/meldung/{year}?erledigt=uebermittelt");
        Assert.Equal("an das Land übermittelt", await approver.Locator("#status").InnerTextAsync());
        Assert.Contains("Das Land hat die Meldung angenommen", await approver.Locator("#receipt").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await approver.GetByRole(AriaRole.Button, new() { Name = "Angaben speichern" }).CountAsync());
        violations.AddRange(await web.CheckAsync(approver, "Meldung: übermittelt"));
        await web.ScreenshotAsync(approver, "meldung-uebermittelt");
        var municipality = (await approver.Locator(".kim-figures__item dd").First.InnerTextAsync()).Split(" (")[0];

        var state = await web.SignInWithSecondFactorAsync("state-reporter@land");
        await state.GotoAsync($"/land?zeitraum={year}");
        var imported = state.GetByRole(AriaRole.Table, new() { Name = $"Eingegangene Meldungen {year}" });
        Assert.Contains(municipality, await imported.InnerTextAsync(), StringComparison.Ordinal);
        violations.AddRange(await web.CheckAsync(state, "Landesauswertung: eingegangene Meldungen"));
        await web.ScreenshotAsync(state, "land-meldungen");

        // A file that is no valid submission is refused with every violation; nothing is imported.
        await state.GetByLabel("Meldung (JSON-Datei)").SetInputFilesAsync(new FilePayload
        {
            Name = "meldung.json",
            MimeType = "application/json",
            Buffer = System.Text.Encoding.UTF8.GetBytes(new System.Text.Json.Nodes.JsonObject
            {
                ["schemaVersion"] = "1.0",
                ["period"] = year,
                ["municipality"] = new System.Text.Json.Nodes.JsonObject { ["id"] = "05999", ["name"] = "Testkreis", ["kind"] = "Village" },
            }.ToJsonString()),
        });
        await state.GetByRole(AriaRole.Button, new() { Name = "Meldung einlesen" }).ClickAsync();
        await state.WaitForLoadStateAsync();
        Assert.Contains("Meldung ungültig", await state.Locator("#import-refusal").InnerTextAsync(), StringComparison.Ordinal);
        var problems = await state.GetByRole(AriaRole.Table, new() { Name = "Verstöße der abgelehnten Meldung" }).InnerTextAsync();
        Assert.Contains("/municipality/kind", problems, StringComparison.Ordinal);
        Assert.Contains("Pflichtangabe", problems, StringComparison.Ordinal);
        Assert.DoesNotContain("Testkreis", await imported.InnerTextAsync(), StringComparison.Ordinal);
        violations.AddRange(await web.CheckAsync(state, "Landesauswertung: Import abgelehnt"));

        web.ReportAccessibility(output, "submission", checkedBefore, 8, violations);
    }

    /// <summary>A case opened in kommune, so that live data answers part of the survey (whatever other tests did before).</summary>
    private async Task LiveDataAsync(string year)
    {
        using var caseManager = new HttpClient { BaseAddress = web.Platform.GatewayUrl }.WithToken(web.Platform.DevSigningKey, "kommune", KimRoles.CaseManager, "submission-test");
        var opened = await caseManager.PostAsJsonAsync("/api/tenants/kommune/cases", new
        {
            client = new { givenName = "Leyla", familyName = "Yilmaz", birthDate = "1988-07-01", languages = new[] { "tr" }, residenceStatus = "ResidencePermit" },
            accessRoute = "SelfReferral",
            confirmDuplicate = true,
        });
        Assert.True(opened.IsSuccessStatusCode, await opened.Content.ReadAsStringAsync());
        using var coordinator = new HttpClient { BaseAddress = web.Platform.GatewayUrl }.WithToken(web.Platform.DevSigningKey, "kommune", KimRoles.Coordinator, "submission-test");
        await Eventually.TrueAsync(async () => (await coordinator.GetStringAsync($"/api/reports/submissions/{year}")).Contains("LiveData", StringComparison.Ordinal),
            "live data to answer part of the submission");
    }
}
