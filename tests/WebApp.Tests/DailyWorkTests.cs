using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Kim.WebApp.Tests;

/// <summary>
/// A case manager's day in a real browser: a duplicate warned at intake, the journal, a follow-up done, a document
/// uploaded and downloaded, the client's name corrected and found again, a deputy named and the case handed over;
/// axe-core on every page.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class DailyWorkTests(WebFixture web, ITestOutputHelper output)
{
    private readonly List<string> violations = [];

    private async Task Check(IPage page, string state) => violations.AddRange(await web.CheckAsync(page, state));

    private static ILocator MainOf(IPage page) => page.Locator("main");

    private static async Task Submit(IPage page, string button)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }

    [Fact]
    public async Task A_case_managers_day_journal_follow_up_document_correction_and_handover()
    {
        var checkedBefore = web.Checked.Count;
        var page = await web.SignInAsync("case-manager@kommune");

        // Intake of a person who is already recorded: a warning, then a confirmation.
        var caseUrl = await OpenAsync(page, "Leyla", "Yilmaz", "07.07.1979");
        await page.GotoAsync("/faelle/neu");
        await FillPersonAsync(page, "LEYLA", "Yılmaz", "07.07.1979");
        await Submit(page, "Fall anlegen");
        Assert.Contains("Möglicherweise schon erfasst", await MainOf(page).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("LEYLA", await page.GetByLabel("Vorname", new() { Exact = true }).InputValueAsync());
        var existing = await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Yilmaz, Leyla") }).GetAttributeAsync("href");
        Assert.EndsWith(existing!, caseUrl, StringComparison.Ordinal);
        await Check(page, "Fall anlegen: mögliche Dublette");
        await page.GetByLabel("Es ist eine andere Person: trotzdem anlegen").CheckAsync();
        await Submit(page, "Fall anlegen");
        await page.WaitForURLAsync(new Regex("/faelle/[0-9a-f-]{36}$"));
        Assert.NotEqual(caseUrl, page.Url);

        // Journal: a refused entry keeps what was typed; a valid one is listed.
        await page.GotoAsync(caseUrl + "/verlauf");
        await Check(page, "Verlaufsdokumentation leer");
        await page.GetByLabel("Eintrag", new() { Exact = true }).FillAsync("Telefonat wegen Wohnungssuche, Unterlagen besprochen.");
        await page.GetByLabel("Dauer in Minuten").FillAsync("0");
        await Submit(page, "Eintrag speichern");
        Assert.Contains("Zwischen 1 und 1440 Minuten.", await MainOf(page).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Telefonat wegen Wohnungssuche, Unterlagen besprochen.", await page.GetByLabel("Eintrag", new() { Exact = true }).InputValueAsync());
        await Check(page, "Verlaufsdokumentation mit Fehlern");
        await page.GetByLabel("Art des Kontakts").SelectOptionAsync(new SelectOptionValue { Label = "Telefonat" });
        await page.GetByLabel("Dauer in Minuten").FillAsync("25");
        await Submit(page, "Eintrag speichern");
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync("Telefonat wegen Wohnungssuche");
        Assert.Contains("25 Min.", await page.Locator("table").InnerTextAsync(), StringComparison.Ordinal);
        await Check(page, "Verlaufsdokumentation mit Eintrag");
        await web.ScreenshotAsync(page, "verlaufsdokumentation");

        // A follow-up appears under "Meine Arbeit" and is marked done.
        await page.GotoAsync(caseUrl + "/termine");
        await page.GetByLabel("Art", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Wiedervorlage" });
        await page.GetByLabel("Betreff").FillAsync("Mietbescheinigung nachreichen");
        await page.GetByLabel("Fällig am").FillAsync(DateTime.Today.AddDays(2).ToString("dd.MM.yyyy"));
        await Submit(page, "Planen");
        await Assertions.Expect(page.Locator("table").First).ToContainTextAsync("Mietbescheinigung nachreichen");
        await Check(page, "Termine mit offener Wiedervorlage");
        await page.GotoAsync("/");
        Assert.Contains("Mietbescheinigung nachreichen", await MainOf(page).InnerTextAsync(), StringComparison.Ordinal);
        await page.GotoAsync(caseUrl + "/termine");
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Erledigt.*Mietbescheinigung nachreichen$") }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        Assert.Contains("Nichts offen.", await MainOf(page).InnerTextAsync(), StringComparison.Ordinal);
        await Check(page, "Termine erledigt");

        // A document: a text file named .pdf is refused, a PNG is stored and downloaded again.
        await page.GotoAsync(caseUrl + "/dokumente");
        await page.GetByLabel("Datei").SetInputFilesAsync(new FilePayload { Name = "Bescheid.pdf", MimeType = "application/pdf", Buffer = "nur Text"u8.ToArray() });
        await Submit(page, "Hochladen");
        Assert.Contains("Nur PDF-, JPEG- oder PNG-Dateien", await MainOf(page).InnerTextAsync(), StringComparison.Ordinal);
        await Check(page, "Dokumente mit Fehler");
        // A scan of a few megabytes, larger than the gateway's limit for other requests.
        var png = new byte[3 * 1024 * 1024];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(png, 0);
        new Random(7).NextBytes(png.AsSpan(8));
        await page.GetByLabel("Datei").SetInputFilesAsync(new FilePayload { Name = "Mietvertrag.png", MimeType = "image/png", Buffer = png });
        await Submit(page, "Hochladen");
        var link = page.GetByRole(AriaRole.Link, new() { Name = "Mietvertrag.png" });
        await Assertions.Expect(link).ToBeVisibleAsync();
        await Check(page, "Dokumente mit Datei");
        await web.ScreenshotAsync(page, "dokumente");
        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        var saved = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"));
        await download.SaveAsAsync(saved);
        Assert.Equal(png, await File.ReadAllBytesAsync(saved));
        File.Delete(saved);

        // A correction made in another window meanwhile is not overwritten: the second one is refused (412).
        await page.GotoAsync(caseUrl + "/stammdaten");
        var other = await page.Context.NewPageAsync();
        await other.GotoAsync(caseUrl + "/stammdaten");
        await other.GetByLabel("Telefon").FillAsync("+49 2104 1234");
        await Submit(other, "Berichtigung speichern");
        await other.CloseAsync();
        await page.GetByLabel("Anschrift").FillAsync("Am Markt 1, 40822 Mettmann");
        await Submit(page, "Berichtigung speichern");
        Assert.Contains("inzwischen geändert", await MainOf(page).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Am Markt 1, 40822 Mettmann", await page.GetByLabel("Anschrift").InputValueAsync());
        await Check(page, "Stammdaten: inzwischen geändert");

        // The name is corrected; the history keeps the former value; search finds the new name.
        await page.GotoAsync(caseUrl + "/stammdaten");
        Assert.Equal("+49 2104 1234", await page.GetByLabel("Telefon").InputValueAsync());
        await page.GetByLabel("Familienname", new() { Exact = true }).FillAsync("Yılmaz-Demir");
        await page.GetByLabel("Grund der Berichtigung").FillAsync("Heirat");
        await Submit(page, "Berichtigung speichern");
        var history = await page.Locator("table").InnerTextAsync();
        Assert.Contains("Familienname", history, StringComparison.Ordinal);
        Assert.Contains("Yilmaz", history, StringComparison.Ordinal);
        Assert.Contains("Heirat", history, StringComparison.Ordinal);
        await Check(page, "Stammdaten mit Berichtigung");
        await page.GotoAsync("/faelle");
        await page.GetByLabel("Name").FillAsync("yilmaz-de");
        await Submit(page, "Suchen");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Yılmaz-Demir, Leyla" })).ToBeVisibleAsync();

        // A deputy, then the handover: the case leaves this case manager's view.
        await page.GotoAsync(caseUrl + "/zustaendigkeit");
        await Check(page, "Zuständigkeit");
        await page.GetByLabel("Koordination (kommune)").CheckAsync();
        await Submit(page, "Vertretung speichern");
        Assert.Contains("Koordination (kommune)", await page.Locator("dl").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByLabel("Übergeben an").SelectOptionAsync(new SelectOptionValue { Label = "Koordination (kommune)" });
        await Submit(page, "Übergeben");
        await page.WaitForURLAsync("**/faelle?uebergeben=1");
        Assert.Contains("Der Fall wurde übergeben", await MainOf(page).InnerTextAsync(), StringComparison.Ordinal);
        await Check(page, "Fälle nach der Übergabe");
        await page.GotoAsync(caseUrl);
        Assert.Contains("nicht gefunden", await MainOf(page).InnerTextAsync(), StringComparison.OrdinalIgnoreCase);

        web.ReportAccessibility(output, "a day's case work", checkedBefore, 12, violations);
    }

    private static async Task<string> OpenAsync(IPage page, string givenName, string familyName, string birthDate)
    {
        await page.GotoAsync("/faelle/neu");
        await FillPersonAsync(page, givenName, familyName, birthDate);
        await Submit(page, "Fall anlegen");
        await page.WaitForURLAsync(new Regex("/faelle/[0-9a-f-]{36}$"));
        return page.Url;
    }

    private static async Task FillPersonAsync(IPage page, string givenName, string familyName, string birthDate)
    {
        await page.GetByLabel("Vorname", new() { Exact = true }).FillAsync(givenName);
        await page.GetByLabel("Familienname", new() { Exact = true }).FillAsync(familyName);
        await page.GetByLabel("Geburtsdatum", new() { Exact = true }).FillAsync(birthDate);
    }
}
