using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Kim.WebApp.Tests;

/// <summary>
/// The coordinator's and the data-protection officer's pages in a real browser, signed in with their second factor:
/// a reconstruction refused at the field for a client's name, the pseudonymised supervision of the carrier, the audit
/// log with its chain verified; axe-core on each.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class CoordinationTests(WebFixture web, ITestOutputHelper output)
{
    [Fact]
    public async Task A_coordinator_submits_reconstructions_without_names_and_supervises_the_carrier_pseudonymised()
    {
        var checkedBefore = web.Checked.Count;
        var violations = new List<string>();
        // A client of kommune, so that the reconstruction's name check has a name to find.
        var caseManager = await web.SignInAsync("case-manager@kommune");
        await caseManager.GotoAsync("/faelle/neu");
        await caseManager.GetByLabel("Vorname", new() { Exact = true }).FillAsync("Zoë");
        await caseManager.GetByLabel("Familienname", new() { Exact = true }).FillAsync("Brandt");
        await caseManager.GetByLabel("Geburtsdatum", new() { Exact = true }).FillAsync("01.02.1990");
        await caseManager.GetByRole(AriaRole.Button, new() { Name = "Fall anlegen" }).ClickAsync();
        await caseManager.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/faelle/[0-9a-f-]{36}$"));

        var page = await web.SignInWithSecondFactorAsync("coordinator@kommune");
        Assert.Contains("Fallrekonstruktionen", await page.Locator("nav[aria-label=Hauptnavigation]").InnerTextAsync(), StringComparison.Ordinal);
        await page.GotoAsync("/rekonstruktionen");
        violations.AddRange(await web.CheckAsync(page, "Fallrekonstruktionen"));
        await page.GetByLabel("Titel", new() { Exact = true }).FillAsync("Wohnungssuche ohne Schufa");
        await page.GetByLabel("Lebensbereich der Hürde", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Wohnen" });
        await page.GetByLabel("Rechtskreis", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "SGB II" });
        var description = page.GetByLabel("Beschreibung der Hürde", new() { Exact = true });
        await description.FillAsync("Frau Brandt fand ohne Schufa-Auskunft keine Wohnung");
        await page.GetByRole(AriaRole.Button, new() { Name = "Rekonstruktion einreichen" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        // Refused at the field, what was typed kept, and nothing submitted.
        Assert.Equal("true", await description.GetAttributeAsync("aria-invalid"));
        Assert.Equal("Frau Brandt fand ohne Schufa-Auskunft keine Wohnung", await description.InputValueAsync());
        // (Other tests of the run may have submitted reconstructions of their own: this one must not be among them.)
        Assert.DoesNotContain("Wohnungssuche ohne Schufa", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        violations.AddRange(await web.CheckAsync(page, "Fallrekonstruktion verweigert"));

        await description.FillAsync("Ohne Schufa-Auskunft keine Wohnung; Jobcenter übernimmt Kaution erst nach Mietvertrag");
        await page.GetByRole(AriaRole.Button, new() { Name = "Rekonstruktion einreichen" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        Assert.Contains("Wohnungssuche ohne Schufa", await page.Locator("table").InnerTextAsync(), StringComparison.Ordinal);

        await page.GotoAsync("/aufsicht");
        await page.GetByRole(AriaRole.Link, new() { Name = "caritas", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/aufsicht/caritas");
        var supervision = await page.Locator("main").InnerTextAsync();
        Assert.Contains("Fälle bei caritas", supervision, StringComparison.Ordinal);
        Assert.DoesNotContain("Kovalenko", supervision, StringComparison.Ordinal);
        violations.AddRange(await web.CheckAsync(page, "Fachaufsicht"));

        await page.GotoAsync("/");
        violations.AddRange(await web.CheckAsync(page, "Meine Arbeit (Koordination)"));
        web.ReportAccessibility(output, "coordination", checkedBefore, 4, violations);
    }

    [Fact]
    public async Task The_data_protection_officer_reads_the_audit_log_with_its_chain_verified_and_nothing_else()
    {
        var checkedBefore = web.Checked.Count;
        var page = await web.SignInWithSecondFactorAsync("data-protection-officer@kommune");
        var navigation = await page.Locator("nav[aria-label=Hauptnavigation]").InnerTextAsync();
        Assert.Contains("Zugriffsprotokoll", navigation, StringComparison.Ordinal);
        Assert.DoesNotContain("Fall anlegen", navigation, StringComparison.Ordinal);
        await page.GotoAsync("/protokoll");
        Assert.Contains("Protokollkette unversehrt", await page.Locator(".kern-alert").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.Locator("tbody tr").CountAsync() > 0);
        var violations = await web.CheckAsync(page, "Zugriffsprotokoll");

        // Case work is not theirs: the page says so instead of failing.
        await page.GotoAsync("/rekonstruktionen");
        Assert.Contains("Kein Zugriff", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        violations = [.. violations, .. await web.CheckAsync(page, "Kein Zugriff")];
        web.ReportAccessibility(output, "data protection", checkedBefore, 2, violations);
    }
}
