using System.Net.Http.Json;
using Kim.BrowserTesting;
using Kim.PlatformTesting;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.Playwright;

namespace Kim.WebApp.Tests;

/// <summary>
/// The whole platform (tenants <c>kommune</c> and <c>caritas</c>, the provider, the web front end behind the gateway)
/// started by Aspire, and Debian's chromium driven by Playwright. Every page a test visits is checked with axe-core.
/// </summary>
public sealed class WebFixture : IAsyncLifetime
{
    private readonly RabbitMqFixture broker = new();
    private readonly TestDirectories directories = new("webapp");
    private TestPlatform? platform;
    private IPlaywright? playwright;

    /// <summary>The authenticator keys set up in this run, by user: a later sign-in of the same user types the code.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> secondFactorKeys = new();

    public TestPlatform Platform => platform ?? throw new InvalidOperationException("Not started.");

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Every page and state checked with axe: its name and the violations found.</summary>
    public List<(string State, int Violations)> Checked { get; } = [];

    public Guid Carrier { get; private set; }

    /// <summary>Where the browser tests spend their time (sign-ins, axe runs, screenshots), printed as a figure when the run ends.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (int Count, TimeSpan Spent)> timeSpent = new();

    private void Spent(string what, long startedAt) =>
        timeSpent.AddOrUpdate(what, _ => (1, System.Diagnostics.Stopwatch.GetElapsedTime(startedAt)),
            (_, sum) => (sum.Count + 1, sum.Spent + System.Diagnostics.Stopwatch.GetElapsedTime(startedAt)));

    public Guid Jobcenter { get; private set; }

    private readonly SemaphoreSlim steeringLock = new(1, 1);
    private SteeringGroup? steeringGroup;

    /// <summary>
    /// The steering group of the run, set up once by whichever test asks first (members by their real user ids, the first
    /// rules of procedure adopted): no test class depends on another having run before it.
    /// </summary>
    public async Task<SteeringGroup> SteeringGroupAsync()
    {
        await steeringLock.WaitAsync();
        try
        {
            return steeringGroup ??= await SteeringGroup.ConstituteAsync(this);
        }
        finally
        {
            steeringLock.Release();
        }
    }

    public async Task InitializeAsync()
    {
        await broker.InitializeAsync();
        platform = await TestPlatform.StartAsync(new TestPlatformSettings(directories.Path, await broker.CreateVirtualHostAsync("webapp"), broker.Endpoint.ManagementUri.ToString(), "kommune", "caritas"));
        playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(playwright);

        // The network registry the case work chooses from: the carrier with its own tenant, and a jobcenter.
        using var coordinator = new HttpClient { BaseAddress = Platform.GatewayUrl }.WithToken(Platform.DevSigningKey, "kommune", KimRoles.Coordinator, "setup");
        Carrier = await RegisterAsync(coordinator, new { name = "Caritas Beratungsdienst", type = "Carrier", tenantId = "caritas", legalDomains = new[] { "SgbII" } });
        Jobcenter = await RegisterAsync(coordinator, new { name = "Jobcenter Kreis", type = "Jobcenter", legalDomains = new[] { "SgbII" } });

        await Eventually.TrueAsync(async () => (await coordinator.GetStringAsync("/api/network/organisations")).Contains(Carrier.ToString(), StringComparison.Ordinal), "the carrier is registered");
    }

    private static async Task<Guid> RegisterAsync(HttpClient client, object organisation)
    {
        var response = await client.PostAsJsonAsync("/api/network/organisations", organisation);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IdOnly>())!.Id;
    }

    /// <summary>
    /// The browser state (cookies) of each user's last full sign-in and when it happened. A later session of the same user
    /// starts from it while it is younger than <see cref="ResumeWithin"/>: the front end's session holds, and the sign-in
    /// itself was walked once in this run (every page of it is checked by the provider's own tests).
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string State, DateTimeOffset At)> sessions = new();

    /// <summary>Well inside the access token's lifetime, so a resumed session never renews a token another session renewed.</summary>
    private static readonly TimeSpan ResumeWithin = TimeSpan.FromMinutes(8);

    private Task<IBrowserContext> NewContextAsync(string? state = null) =>
        Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "de-DE", BaseURL = Platform.GatewayUrl.ToString(), StorageState = state });

    /// <summary>A new browser session of <paramref name="user"/> from its last sign-in, or null when there is none to resume.</summary>
    private async Task<IPage?> ResumeAsync(string user)
    {
        if (!sessions.TryGetValue(user, out var session) || DateTimeOffset.UtcNow - session.At > ResumeWithin)
        {
            return null;
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var context = await NewContextAsync(session.State);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        if (page.Url.Contains("/identity/", StringComparison.Ordinal))
        {
            await context.CloseAsync();
            return null;
        }

        Spent("sessions resumed", started);
        return page;
    }

    private async Task RememberAsync(string user, IPage page) =>
        sessions[user] = (await page.Context.StorageStateAsync(), DateTimeOffset.UtcNow);

    /// <summary>A new browser session signed in as a seeded user of the provider (German locale).</summary>
    public async Task<IPage> SignInAsync(string user)
    {
        if (await ResumeAsync(user) is { } resumed)
        {
            return resumed;
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/identity/Account/Login**");
        await page.FillAsync("#UserName", user);
        await page.FillAsync("#Password", Platform.SeedPassword);
        await page.PressAsync("#Password", "Enter");
        await page.WaitForURLAsync(url => !url.Contains("/identity/", StringComparison.Ordinal));
        Spent("sign-ins", started);
        await RememberAsync(user, page);
        return page;
    }

    /// <summary>
    /// Signs in a user whose role needs a second factor: the first sign-in sets up the authenticator (the test computes the
    /// codes from the key the page shows) and continues to the front end.
    /// </summary>
    public async Task<IPage> SignInWithSecondFactorAsync(string user)
    {
        if (await ResumeAsync(user) is { } resumed)
        {
            return resumed;
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/identity/Account/Login**");
        await page.FillAsync("#UserName", user);
        await page.FillAsync("#Password", Platform.SeedPassword);
        await page.PressAsync("#Password", "Enter");
        try
        {
            // Waiting for the address only (not for the page's load event): the fields below are awaited by themselves.
            await page.WaitForURLAsync(url => url.Contains("/Account/EnableAuthenticator", StringComparison.Ordinal)
                || (secondFactorKeys.ContainsKey(user) && url.Contains("/Account/LoginWith2fa", StringComparison.Ordinal)),
                new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"Expected the set-up of the second factor, but the browser shows {page.Url}: {await page.Locator("body").InnerTextAsync()}");
        }

        // Signed in before in this run (by another test): the factor is set up, the code is asked for.
        if (page.Url.Contains("/Account/LoginWith2fa", StringComparison.Ordinal))
        {
            await page.FillAsync("#Code", new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secondFactorKeys[user])).ComputeTotp(DateTime.UtcNow));
            await page.PressAsync("#Code", "Enter");
            await page.WaitForURLAsync(url => !url.Contains("/identity/", StringComparison.Ordinal));
            Spent("sign-ins with second factor", started);
            await RememberAsync(user, page);
            return page;
        }

        var key = (await page.InnerTextAsync("#authenticator-key")).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        secondFactorKeys[user] = key;
        await page.FillAsync("#Code", new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(key)).ComputeTotp(DateTime.UtcNow));
        await page.PressAsync("#Code", "Enter");
        await page.ClickAsync("#weiter");
        await page.WaitForURLAsync(url => !url.Contains("/identity/", StringComparison.Ordinal));
        Spent("sign-ins setting up the second factor", started);
        await RememberAsync(user, page);
        return page;
    }

    /// <summary>Runs axe-core (WCAG 2.1 A and AA) on the page as it is now; returns the violations, described.</summary>
    public async Task<IReadOnlyList<string>> CheckAsync(IPage page, string state)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = await Accessibility.CheckAsync(page);
        Spent("axe-core checks", started);
        lock (Checked)
        {
            Checked.Add((state, result.Violations.Length));
        }

        return Accessibility.Describe(result, state);
    }

    /// <summary>
    /// Prints how many pages and states a test checked with axe-core and the violations found (a figure of the test
    /// command), and fails on any violation or when fewer pages were checked than the test visits.
    /// </summary>
    public void ReportAccessibility(Xunit.Abstractions.ITestOutputHelper output, string what, int checkedBefore, int expected, IReadOnlyCollection<string> violations)
    {
        var count = Checked.Count - checkedBefore;
        foreach (var violation in violations)
        {
            output.WriteLine(violation);
        }

        Kim.Testing.TestFigures.Report(output, "figures.txt",
            $"accessibility (web front end, {what}): {count} pages and states checked with axe-core, {violations.Count} WCAG 2.1 A/AA violations");
        Assert.Equal(expected, count);
        Assert.Empty(violations);
    }

    /// <summary>A full-page screenshot to <c>artifacts/test-results/screenshots</c> (the README's pictures come from there).</summary>
    public async Task ScreenshotAsync(IPage page, string name)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var folder = Path.Combine(Kim.Hosting.RepositoryPaths.Root, "artifacts", "test-results", "screenshots");
        Directory.CreateDirectory(folder);
        await page.SetViewportSizeAsync(1280, 900);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
        Spent("screenshots", started);
    }

    /// <summary>Writes what the page shows (its main text) to the test's output: the evidence when a step fails.</summary>
    public async Task ShowAsync(IPage page, Xunit.Abstractions.ITestOutputHelper output) =>
        output.WriteLine($"{page.Url}\n{await page.Locator("body").InnerTextAsync()}");

    public async Task DisposeAsync()
    {
        foreach (var (what, (count, spent)) in timeSpent.OrderByDescending(entry => entry.Value.Spent))
        {
            TestFigures.Append("figures.txt", $"browser tests: {count} {what} took {spent.TotalSeconds:0.0} s ({spent.TotalMilliseconds / count:0} ms each)");
        }

        steeringGroup?.Dispose();
        steeringLock.Dispose();
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
        if (platform is not null)
        {
            await platform.DisposeAsync();
        }

        await broker.DisposeAsync();
        directories.Dispose();
    }

    private sealed record IdOnly(Guid Id);
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebFixture>
{
    public const string Name = "web";
}
