using System.Text.RegularExpressions;
using Kim.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Kim.WebApp.Tests;

/// <summary>
/// Case work in a real browser through the gateway with a real sign-in: a case from intake to closure with every gate
/// first refused and then met, a referral answered at the carrier, a withdrawn consent, and axe-core on every page.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class CaseWorkTests(WebFixture web, ITestOutputHelper output)
{
    private readonly List<string> violations = [];

    private async Task Check(IPage page, string state) => violations.AddRange(await web.CheckAsync(page, state));

    private static ILocator Alert(IPage page) => page.Locator(".kern-alert--danger");

    private static Task Choose(IPage page, string label, string text) => Choose(page.Locator("main"), label, text);

    private static Task Choose(ILocator scope, string label, string text) =>
        scope.GetByLabel(label, new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = text });

    private static async Task Open(IPage page, string summary) =>
        await page.Locator("summary", new() { HasText = summary }).First.ClickAsync();

    private static async Task Advance(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Weiter zu") }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }

    private static async Task<string> Phase(IPage page) =>
        await page.Locator("[aria-current=step]").InnerTextAsync();

    [Fact]
    public async Task A_case_walks_from_intake_to_closure_and_every_gate_is_refused_first_in_plain_german()
    {
        var checkedBefore = web.Checked.Count;
        var page = await web.SignInAsync("case-manager@kommune");
        await Check(page, "Meine Arbeit");
        Assert.Equal("Meine Arbeit", await page.Locator("h1").InnerTextAsync());

        // Intake: an empty form is refused at its fields, and nothing typed is lost.
        await page.GotoAsync("/faelle/neu");
        await Check(page, "Fall anlegen");
        await page.GetByLabel("Vorname", new() { Exact = true }).FillAsync("Amira");
        await page.GetByRole(AriaRole.Button, new() { Name = "Fall anlegen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".kern-form-input--error").First).ToBeVisibleAsync();
        Assert.Equal("Amira", await page.GetByLabel("Vorname", new() { Exact = true }).InputValueAsync());
        Assert.Contains("Pflichtangabe.", await page.Locator(".kern-error").First.InnerTextAsync(), StringComparison.Ordinal);
        await Check(page, "Fall anlegen mit Fehlern");
        await web.ScreenshotAsync(page, "fall-anlegen-fehler");

        await page.GetByLabel("Familienname", new() { Exact = true }).FillAsync("Haddad");
        await page.GetByLabel("Geburtsdatum", new() { Exact = true }).FillAsync("12.04.1991");
        await page.GetByRole(AriaRole.Button, new() { Name = "Fall anlegen" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/faelle/[0-9a-f-]{36}$"));
        var caseUrl = page.Url;
        Assert.Contains("Amira Haddad", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        await Check(page, "Fallakte Erstberatung");

        // Gate 1: the indication.
        Assert.Contains("Indikation", await page.Locator(".kern-alert--info").InnerTextAsync(), StringComparison.Ordinal);
        await Advance(page);
        Assert.Contains("Indikation fehlt", await Alert(page).InnerTextAsync(), StringComparison.Ordinal);
        await Check(page, "Fallakte Weiter verweigert");
        await web.ScreenshotAsync(page, "fallakte-indikation-fehlt");
        foreach (var question in new[] { "Gehört die Person zur Zielgruppe?", "Ist sie bereit mitzuwirken?", "Ist eine Verständigung möglich?" })
        {
            await page.GetByRole(AriaRole.Group, new() { Name = question }).GetByLabel("Ja").CheckAsync();
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Indikation speichern" }).ClickAsync();
        await page.WaitForLoadStateAsync();

        // Gate 2: the consent to case management.
        await Advance(page);
        Assert.Contains("Einwilligung", await Alert(page).InnerTextAsync(), StringComparison.Ordinal);
        await GiveConsentAsync(page, "Case Management", null);
        await Advance(page);
        Assert.Equal(0, await Alert(page).CountAsync());
        Assert.Contains("Assessment", await Phase(page), StringComparison.Ordinal);

        // Gate 3: the assessment.
        await Advance(page);
        Assert.Contains("Assessment unvollständig", await Alert(page).InnerTextAsync(), StringComparison.Ordinal);
        await Choose(page.Locator("#assessment"), "Lebensbereich", "Sprache");
        await page.GetByLabel("Situation", new() { Exact = true }).FillAsync("Deutschkurs A2 abgebrochen");
        await page.GetByLabel("Ressourcen", new() { Exact = true }).FillAsync("Motiviert, Englisch fließend");
        await page.GetByLabel("Bedarf", new() { Exact = true }).FillAsync("Kurs mit Kinderbetreuung");
        await page.GetByLabel("Sicht der Person", new() { Exact = true }).FillAsync("Möchte B1 für die Arbeit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Assessment speichern" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        await Advance(page);
        Assert.Contains("Zielvereinbarung", await Phase(page), StringComparison.Ordinal);
        await Check(page, "Fallakte Zielvereinbarung");

        // Gate 4: a goal only with the client's agreement.
        await Advance(page);
        Assert.Contains("Kein vereinbartes Ziel", await Alert(page).InnerTextAsync(), StringComparison.Ordinal);
        await Open(page, "Ziel vereinbaren");
        await Choose(page.Locator("#ziele"), "Lebensbereich", "Sprache");
        await page.GetByLabel("Ziel", new() { Exact = true }).FillAsync("Sprachniveau B1 erreichen");
        await page.GetByLabel("Zieltermin", new() { Exact = true }).FillAsync(DateTime.Today.AddMonths(6).ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Ziel aufnehmen" }).ClickAsync();
        Assert.Contains("Zustimmung", await Alert(page).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Sprachniveau B1 erreichen", await page.GetByLabel("Ziel", new() { Exact = true }).InputValueAsync());
        await Check(page, "Fallakte Ziel verweigert");
        await page.GetByLabel("Die Person stimmt diesem Ziel zu").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ziel aufnehmen" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        await Advance(page);
        Assert.Contains("Hilfeplanung", await Phase(page), StringComparison.Ordinal);

        // Gate 5: the plan.
        await Advance(page);
        Assert.Contains("Hilfeplan leer", await Alert(page).InnerTextAsync(), StringComparison.Ordinal);
        await PlanCarrierServiceAndAdvanceAsync(page);
        await Check(page, "Fallakte Leistungssteuerung");
        await web.ScreenshotAsync(page, "fallakte-leistungssteuerung");

        // Gate 6: a referral.
        await Advance(page);
        Assert.Contains("Keine Vermittlung", await Alert(page).InnerTextAsync(), StringComparison.Ordinal);
        await IssueReferralAsync(page, shareIdentity: false);
        await Advance(page);
        Assert.Contains("Monitoring", await Phase(page), StringComparison.Ordinal);

        // Gate 7: closure needs every goal evaluated; the dialog is an address of its own.
        await page.GetByRole(AriaRole.Link, new() { Name = "Fall abschließen …" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("dialog=abschluss"));
        await Check(page, "Fallakte Abschluss-Dialog");
        await page.GetByLabel("Begründung des Abschlusses", new() { Exact = true }).FillAsync("Ziel im Kurs erreicht");
        await page.GetByRole(AriaRole.Button, new() { Name = "Abschließen", Exact = true }).ClickAsync();
        await page.WaitForLoadStateAsync();
        Assert.Contains("Zielbewertung fehlt", await Alert(page).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Ziel im Kurs erreicht", await page.GetByLabel("Begründung des Abschlusses", new() { Exact = true }).InputValueAsync());
        await Choose(page, "Bewertung: Sprachniveau B1 erreichen", "erreicht");
        await page.GetByRole(AriaRole.Button, new() { Name = "Abschließen", Exact = true }).ClickAsync();
        await page.WaitForLoadStateAsync();
        Assert.Contains("abgeschlossen", await page.Locator(".kern-subline").InnerTextAsync(), StringComparison.Ordinal);
        await Check(page, "Fallakte abgeschlossen");

        // The browser's back button returns to the earlier address; the print view is an address of its own.
        await page.GotoAsync(caseUrl + "/druck");
        Assert.Contains("Sprachniveau B1 erreichen", await page.Locator("table").First.InnerTextAsync(), StringComparison.Ordinal);
        await Check(page, "Druckansicht");
        await page.GoBackAsync();
        Assert.Equal(caseUrl, page.Url.Split('#')[0]);

        await page.GotoAsync("/faelle");
        await page.GetByLabel("Name").FillAsync("amira HAD");
        await Choose(page, "Status", "abgeschlossen");
        await page.GetByRole(AriaRole.Button, new() { Name = "Suchen" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Haddad, Amira" })).ToBeVisibleAsync();
        Assert.DoesNotContain("Haddad", page.Url, StringComparison.Ordinal);
        await Check(page, "Fälle mit Suchergebnis");

        web.ReportAccessibility(output, "case walk", checkedBefore, 12, violations);
    }

    [Fact]
    public async Task A_referral_from_kommune_is_accepted_and_completed_at_caritas_and_a_withdrawn_consent_removes_the_identity_there()
    {
        var checkedBefore = web.Checked.Count;
        var kommune = await web.SignInAsync("case-manager@kommune");
        var caseUrl = await OpenCaseInSteeringAsync(kommune, "Olena", "Kovalenko");
        await GiveConsentAsync(kommune, "Datenweitergabe an einen Leistungserbringer", "Caritas Beratungsdienst");
        await IssueReferralAsync(kommune, shareIdentity: true);

        var caritas = await web.SignInAsync("case-manager@caritas");
        await caritas.GotoAsync("/weiterleitungen");
        await Check(caritas, "Eingehende Weiterleitungen");
        var link = caritas.GetByRole(AriaRole.Link, new() { Name = "Sprachkurs mit Kinderbetreuung" }).First;
        await Eventually.TrueAsync(async () =>
        {
            await caritas.ReloadAsync();
            return await link.CountAsync() > 0;
        }, "the referral reaches caritas");
        await link.ClickAsync();
        Assert.DoesNotContain("Kovalenko", await caritas.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await Check(caritas, "Eingehende Weiterleitung vor Annahme");
        await caritas.GetByRole(AriaRole.Button, new() { Name = "Annehmen" }).ClickAsync();
        await caritas.WaitForLoadStateAsync();
        await Eventually.TrueAsync(async () =>
        {
            await caritas.ReloadAsync();
            return (await caritas.Locator("main").InnerTextAsync()).Contains("Olena Kovalenko", StringComparison.Ordinal);
        }, "the identity follows the acceptance under consent");
        await Check(caritas, "Eingehende Weiterleitung angenommen");
        await web.ScreenshotAsync(caritas, "eingehende-weiterleitung");
        await caritas.GetByRole(AriaRole.Button, new() { Name = "Leistung begonnen" }).ClickAsync();
        await caritas.WaitForLoadStateAsync();
        await caritas.GetByRole(AriaRole.Group, new() { Name = "War die Leistung erfolgreich?" }).GetByLabel("Ja").CheckAsync();
        await caritas.GetByRole(AriaRole.Button, new() { Name = "Leistung abgeschlossen" }).ClickAsync();
        await caritas.WaitForLoadStateAsync();
        Assert.Contains("abgeschlossen", await caritas.Locator("dl").First.InnerTextAsync(), StringComparison.Ordinal);

        // Seen back at kommune.
        await Eventually.TrueAsync(async () =>
        {
            await kommune.GotoAsync(caseUrl);
            return (await kommune.Locator("#weiterleitungen table").InnerTextAsync()).Contains("abgeschlossen", StringComparison.Ordinal);
        }, "kommune sees the referral completed");

        // The consent to pass the identity is withdrawn: the identity is erased at the carrier.
        var transfer = kommune.Locator("#einwilligungen details").Filter(new() { Has = kommune.Locator("summary", new() { HasText = "Datenweitergabe an einen Leistungserbringer" }) });
        await transfer.Locator("summary").ClickAsync();
        await transfer.GetByLabel("Grund des Widerrufs").FillAsync("Person widerruft");
        await transfer.GetByRole(AriaRole.Button, new() { Name = "Widerrufen" }).ClickAsync();
        await kommune.WaitForLoadStateAsync();
        Assert.Contains("widerrufen", await kommune.Locator("#einwilligungen table").InnerTextAsync(), StringComparison.Ordinal);
        await Eventually.TrueAsync(async () =>
        {
            await caritas.ReloadAsync();
            var text = await caritas.Locator("main").InnerTextAsync();
            return !text.Contains("Kovalenko", StringComparison.Ordinal) && text.Contains("Einwilligung widerrufen", StringComparison.Ordinal);
        }, "the identity is gone at the carrier");
        await Check(caritas, "Eingehende Weiterleitung nach Widerruf");

        web.ReportAccessibility(output, "referral at the carrier", checkedBefore, 4, violations);
    }

    [Fact]
    public async Task The_intake_can_be_done_with_the_keyboard_alone_and_signing_out_ends_the_session_at_the_provider()
    {
        var page = await web.SignInAsync("case-manager@kommune");
        await page.GotoAsync("/faelle/neu");
        await page.Locator("#f-form-givenname").FocusAsync();
        await page.Keyboard.TypeAsync("Samir");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("f-form-familyname", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.TypeAsync("Nasser");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("f-form-birthdate", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.TypeAsync("03.04.1988");
        // Tab on to the submit button, as someone without a mouse would.
        for (var i = 0; i < 40 && await page.EvaluateAsync<string>("document.activeElement.textContent.trim()") != "Fall anlegen"; i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(new Regex("/faelle/[0-9a-f-]{36}$"));
        Assert.Contains("Samir Nasser", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("03.04.1988", await page.Locator("dl").First.InnerTextAsync(), StringComparison.Ordinal);

        // Signing out ends the session at the provider too: the next visit asks for the password again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Abmelden" }).ClickAsync();
        await page.WaitForURLAsync("**/abgemeldet");
        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/identity/Account/Login**");
        Assert.Equal(1, await page.Locator("#Password").CountAsync());
    }

    /// <summary>Opens a case and walks it to service steering with a plan item for the carrier.</summary>
    private async Task<string> OpenCaseInSteeringAsync(IPage page, string givenName, string familyName)
    {
        await page.GotoAsync("/faelle/neu");
        await page.GetByLabel("Vorname", new() { Exact = true }).FillAsync(givenName);
        await page.GetByLabel("Familienname", new() { Exact = true }).FillAsync(familyName);
        await page.GetByLabel("Geburtsdatum", new() { Exact = true }).FillAsync("30.09.1985");
        foreach (var question in new[] { "Gehört die Person zur Zielgruppe?", "Ist sie bereit mitzuwirken?", "Ist eine Verständigung möglich?" })
        {
            await page.GetByRole(AriaRole.Group, new() { Name = question }).GetByLabel("Ja").CheckAsync();
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Fall anlegen" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/faelle/[0-9a-f-]{36}$"));
        var url = page.Url;
        await GiveConsentAsync(page, "Case Management", null);
        await Advance(page);
        await Choose(page.Locator("#assessment"), "Lebensbereich", "Wohnen");
        foreach (var field in new[] { "Situation", "Ressourcen", "Bedarf", "Sicht der Person" })
        {
            await page.GetByLabel(field, new() { Exact = true }).FillAsync("Angabe " + field);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Assessment speichern" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        await Advance(page);
        await Open(page, "Ziel vereinbaren");
        await Choose(page.Locator("#ziele"), "Lebensbereich", "Wohnen");
        await page.GetByLabel("Ziel", new() { Exact = true }).FillAsync("Eigene Wohnung");
        await page.GetByLabel("Zieltermin", new() { Exact = true }).FillAsync(DateTime.Today.AddMonths(3).ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("Die Person stimmt diesem Ziel zu").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ziel aufnehmen" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        await Advance(page);
        await PlanCarrierServiceAndAdvanceAsync(page);
        await page.GotoAsync("/");
        await web.ScreenshotAsync(page, "meine-arbeit");
        await page.GotoAsync(url);
        return url;
    }

    /// <summary>Puts the carrier's language course into the plan and moves on to service steering.</summary>
    private static async Task PlanCarrierServiceAndAdvanceAsync(IPage page)
    {
        await Open(page, "Leistung einzeln aufnehmen");
        await page.GetByLabel("Leistung", new() { Exact = true }).FillAsync("Sprachkurs mit Kinderbetreuung");
        await Choose(page.Locator("#hilfeplan"), "Lebensbereich", "Sprache");
        await Choose(page, "Rechtskreis", "SGB II");
        await Choose(page, "Zuständige Organisation", "Caritas Beratungsdienst");
        await page.GetByLabel("Zieltage bis zur Übergabe", new() { Exact = true }).FillAsync("14");
        await page.GetByRole(AriaRole.Button, new() { Name = "Leistung aufnehmen" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        await Advance(page);
        Assert.Contains("Leistungssteuerung", await Phase(page), StringComparison.Ordinal);
    }

    private static async Task GiveConsentAsync(IPage page, string purpose, string? provider)
    {
        await Open(page, "Einwilligung anfragen");
        await Choose(page, "Zweck", purpose);
        if (provider is not null)
        {
            await page.Locator("main").GetByLabel("Leistungserbringer (bei Datenweitergabe)").SelectOptionAsync(new SelectOptionValue { Label = provider });
        }

        await page.GetByLabel("Gültig bis", new() { Exact = true }).FillAsync(DateTime.Today.AddYears(1).ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Einwilligung anfragen" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        // The requested consent has its own form to record that it was given.
        await page.Locator("details", new() { Has = page.Locator("select[name='Action.GivenBy']") }).Locator("summary").ClickAsync();
        await Choose(page, "Erteilt durch", "die Person selbst");
        await page.GetByLabel("Nachweis (Ablageort der unterschriebenen Erklärung)").FillAsync("Akte 2026/17, Blatt 3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Einwilligung erteilt" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        Assert.Contains("erteilt", await page.Locator("#einwilligungen table").InnerTextAsync(), StringComparison.Ordinal);
    }

    private static async Task IssueReferralAsync(IPage page, bool shareIdentity)
    {
        await Open(page, "Leistung weiterleiten");
        await Choose(page, "Leistung aus dem Hilfeplan", "Sprachkurs mit Kinderbetreuung");
        await Choose(page, "Leistungserbringer", "Caritas Beratungsdienst");
        if (shareIdentity)
        {
            await page.GetByLabel("Personendaten weitergeben (nur mit Einwilligung zur Datenweitergabe)").CheckAsync();
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Weiterleiten" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        Assert.Contains("weitergeleitet", await page.Locator("#weiterleitungen table").InnerTextAsync(), StringComparison.Ordinal);
    }
}
