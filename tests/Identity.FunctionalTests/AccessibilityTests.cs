using Kim.BrowserTesting;
using Kim.Hosting;
using Kim.Testing;
using Microsoft.Playwright;
using OtpNet;
using Xunit.Abstractions;

namespace Kim.Identity.FunctionalTests;

/// <summary>
/// The sign-in pages in a real browser (Debian's chromium driven by Playwright): every page and state checked with
/// axe-core against WCAG 2.1 A and AA, and the sign-in done with the keyboard alone.
/// </summary>
[Collection(IdentityCollection.Name)]
public sealed class AccessibilityTests(IdentityFixture identity, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<string> report = [];
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    public async Task InitializeAsync()
    {
        playwright = await Playwright.CreateAsync();
        browser = await Chromium.LaunchAsync(playwright);
    }

    private string Authorize() =>
        new Uri(identity.Issuer, $"connect/authorize?client_id={CliClient.Id}&redirect_uri={Uri.EscapeDataString(CliClient.RedirectUri)}&response_type=code&scope=openid%20kim&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&state=axe").ToString();

    private async Task<int> CheckAsync(IPage page, string state)
    {
        var result = await Accessibility.CheckAsync(page);
        var violations = Accessibility.Describe(result, state).ToList();
        report.Add($"{state}: {result.Violations.Length} violations, {result.Passes.Length} rules passed");
        violations.ForEach(output.WriteLine);
        return result.Violations.Length;
    }

    /// <summary>Signs in with the keyboard only: Tab to each field, type, Enter.</summary>
    private static async Task SignInWithKeyboardAsync(IPage page, string user, string password)
    {
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("UserName", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.TypeAsync(user);
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Password", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.TypeAsync(password);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }

    [Fact]
    public async Task Every_sign_in_page_and_state_has_no_wcag_violation_and_works_by_keyboard()
    {
        var violations = 0;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "de-DE" });
        var page = await context.NewPageAsync();
        await page.GotoAsync(Authorize());
        violations += await CheckAsync(page, "Anmelden");

        await SignInWithKeyboardAsync(page, "coordinator@kommune", "falsches-passwort-12");
        Assert.Contains("falsch", await page.InnerTextAsync("#fehler"), StringComparison.Ordinal);
        violations += await CheckAsync(page, "Anmelden mit Fehlermeldung");

        await page.FillAsync("#Password", "");
        await page.FocusAsync("#UserName");
        await page.FillAsync("#UserName", "");
        await page.Keyboard.TypeAsync("coordinator@kommune");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(identity.SeedPassword);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/Account/EnableAuthenticator**");
        violations += await CheckAsync(page, "Zweiten Faktor einrichten");

        var key = (await page.InnerTextAsync("#authenticator-key")).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        string Code() => new Totp(Base32Encoding.ToBytes(key)).ComputeTotp(DateTime.UtcNow);
        await page.FillAsync("#Code", "000000" == Code() ? "111111" : "000000");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#fehler");
        violations += await CheckAsync(page, "Zweiten Faktor einrichten mit Fehlermeldung");
        await page.FillAsync("#Code", Code());
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#recovery-codes");
        violations += await CheckAsync(page, "Wiederherstellungscodes");

        await page.GotoAsync(new Uri(identity.Issuer, "Account/Manage").ToString());
        violations += await CheckAsync(page, "Mein Konto");

        var second = await (await browser.NewContextAsync()).NewPageAsync();
        await second.GotoAsync(Authorize());
        await SignInWithKeyboardAsync(second, "coordinator@kommune", identity.SeedPassword);
        await second.WaitForURLAsync("**/Account/LoginWith2fa**");
        violations += await CheckAsync(second, "Zweiter Faktor");
        await second.ClickAsync("text=Wiederherstellungscode");
        await second.WaitForURLAsync("**/Account/LoginWithRecoveryCode**");
        violations += await CheckAsync(second, "Wiederherstellungscode");

        await page.GotoAsync(new Uri(identity.Issuer, "connect/endsession").ToString());
        await page.WaitForURLAsync("**/Account/LoggedOut**");
        violations += await CheckAsync(page, "Abgemeldet");

        report.ForEach(output.WriteLine);
        TestFigures.Report(output, "figures.txt", $"accessibility (sign-in pages): {report.Count} pages and states checked with axe-core, {violations} WCAG 2.1 A/AA violations");
        Assert.Equal(9, report.Count);
        Assert.Equal(0, violations);
    }

    [Fact]
    public async Task The_check_finds_a_missing_text_alternative_an_unlabelled_field_low_contrast_and_a_missing_language()
    {
        var page = await browser.NewPageAsync();
        await page.SetContentAsync("""
            <!DOCTYPE html><html><head><title>Prüfseite</title></head><body><main><h1>Prüfseite</h1>
            <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
            <input type="text" id="feld">
            <p style="color:#bbbbbb;background:#ffffff">Kaum lesbar</p>
            </main></body></html>
            """);

        var found = (await Accessibility.CheckAsync(page)).Violations.Select(v => v.Id).ToHashSet();

        Assert.Superset(new HashSet<string> { "image-alt", "label", "color-contrast", "html-has-lang" }, found);
        await page.SetContentAsync("""<!DOCTYPE html><html lang="de"><head><title>Prüfseite</title></head><body><main><h1>Prüfseite</h1><label for="feld">Name</label><input type="text" id="feld"></main></body></html>""");
        Assert.Empty((await Accessibility.CheckAsync(page)).Violations);
    }

    public async Task DisposeAsync()
    {
        await browser.CloseAsync();
        playwright.Dispose();
    }
}
