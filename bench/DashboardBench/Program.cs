using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Kim.Hosting;
using Kim.ReportingService.EventStore;
using Kim.ReportingService.Infrastructure;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.EntityFrameworkCore;

namespace Kim.DashboardBench;

/// <summary>
/// Server render time of the coordinators' monitoring dashboard (<c>/monitoring</c>) through the gateway, over a year of
/// events of three tenants, against a baseline measured in the same run: the ReportingService's dashboard JSON through
/// the same gateway. Samples interleave the two. Usage: DashboardBench &lt;gateway&gt; &lt;data directory&gt; [cases per tenant] [samples]
/// </summary>
public static class Bench
{
    private static readonly string[] Tenants = ["kommune", "caritas", "diakonie"];

    public static async Task<int> Main(string[] args)
    {
        var gateway = new Uri(args.ElementAtOrDefault(0) ?? "http://127.0.0.1:8080/");
        var data = Path.GetFullPath(args.ElementAtOrDefault(1) ?? Path.Combine(RepositoryPaths.Root, ".data"));
        var casesPerTenant = int.Parse(args.ElementAtOrDefault(2) ?? "500", CultureInfo.InvariantCulture);
        var samples = int.Parse(args.ElementAtOrDefault(3) ?? "100", CultureInfo.InvariantCulture);
        var secrets = new DevSecrets(data);
        var signingKey = secrets.SigningKey();

        // 1. A year of events, written once into the ReportingService's event store in the platform's own shape
        //    (the same serialisation as its consumers), then the projections rebuilt from it by the operator's command.
        var stored = await SeedAsync(Path.Combine(data, "reportingservice", "reportingdb.db"), casesPerTenant);
        using var operatorClient = Client(gateway, signingKey, KimRoles.Operator);
        (await operatorClient.PostAsync("api/reports/projections/rebuild", null)).EnsureSuccessStatusCode();
        Console.WriteLine($"event store: {stored.ToString("N0", CultureInfo.InvariantCulture)} events ({casesPerTenant} cases per tenant over a year, tenants {string.Join(", ", Tenants)})");

        // 2. Sign in through the front end as the office's coordinator, in Debian's chromium (the provider's form and
        //    second factor); the session cookie then serves a plain HTTP client, so the browser's own time is not measured.
        var cookies = await SignInAsync(gateway, secrets, data);
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(5) };
        using var api = Client(gateway, signingKey, KimRoles.Coordinator);

        // 3. Interleaved samples: the rendered dashboard, and the API's dashboard JSON.
        var rendered = new List<double>();
        var json = new List<double>();
        for (var i = 0; i < samples + 10; i++)
        {
            var page = await TimeAsync(() => browser.GetAsync("/monitoring"), body => body.Contains("Engp", StringComparison.Ordinal));
            var baseline = await TimeAsync(() => api.GetAsync("api/reports/dashboard"), body => body.Contains("bottlenecks", StringComparison.Ordinal));
            if (i >= 10)
            {
                // The first 10 warm up (JIT, connection pools, caches).
                rendered.Add(page);
                json.Add(baseline);
            }
        }

        Console.WriteLine($"monitoring dashboard rendered by the front end, {samples} samples, {stored.ToString("N0", CultureInfo.InvariantCulture)} events:");
        Console.WriteLine($"  front end (/monitoring): median {Percentile(rendered, 0.5):F1} ms, p95 {Percentile(rendered, 0.95):F1} ms");
        Console.WriteLine($"  baseline (ReportingService dashboard JSON through the gateway): median {Percentile(json, 0.5):F1} ms, p95 {Percentile(json, 0.95):F1} ms");
        Console.WriteLine($"  ratio front end / baseline: median {Percentile(rendered, 0.5) / Percentile(json, 0.5):F2}, p95 {Percentile(rendered, 0.95) / Percentile(json, 0.95):F2}");
        return 0;
    }

    private static async Task<int> SeedAsync(string database, int casesPerTenant)
    {
        var options = new DbContextOptionsBuilder<SqliteReportingDbContext>().UseSqlite($"Data Source={database}").Options;
        await using var db = new SqliteReportingDbContext(options);
        if (!await db.StoredEvents.AnyAsync(e => e.EventType == "ServiceChainAdopted" && e.Payload.Contains("Arbeitsmarktintegration")))
        {
            var clock = TimeProvider.System;
            foreach (var chunk in YearOfEvents.Create(Tenants, casesPerTenant, clock.GetUtcNow().UtcDateTime).Chunk(5000))
            {
                db.StoredEvents.AddRange(chunk.Select(e => StoredEvents.From((dynamic)e, e.MessageId, clock) as StoredEvent ?? throw new InvalidOperationException()));
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
            }
        }

        return await db.StoredEvents.CountAsync();
    }

    private static async Task<CookieContainer> SignInAsync(Uri gateway, DevSecrets secrets, string data)
    {
        // The coordinator's second factor: set up at the first run, its key kept next to the bench's data.
        var keyFile = Path.Combine(data, "secrets", "bench-coordinator-totp.key");
        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        await using var chromium = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox", "--disable-gpu"] });
        var context = await chromium.NewContextAsync(new() { BaseURL = gateway.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.FillAsync("#UserName", "coordinator@kommune");
        await page.FillAsync("#Password", secrets.Secret("identity-seed-password"));
        await page.PressAsync("#Password", "Enter");
        await page.WaitForLoadStateAsync();
        if (page.Url.Contains("EnableAuthenticator", StringComparison.Ordinal))
        {
            var key = (await page.InnerTextAsync("#authenticator-key")).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
            await File.WriteAllTextAsync(keyFile, key);
            await page.FillAsync("#Code", Code(key));
            await page.PressAsync("#Code", "Enter");
            await page.ClickAsync("#weiter");
        }
        else
        {
            await page.FillAsync("#Code", Code(await File.ReadAllTextAsync(keyFile)));
            await page.PressAsync("#Code", "Enter");
        }

        await page.WaitForURLAsync(url => !url.Contains("/identity/", StringComparison.Ordinal));
        var cookies = new CookieContainer();
        foreach (var cookie in await context.CookiesAsync())
        {
            cookies.Add(new Cookie(cookie.Name, cookie.Value, cookie.Path, cookie.Domain));
        }

        return cookies;
    }

    private static string Code(string key) => new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(key.Trim())).ComputeTotp(DateTime.UtcNow);

    private static HttpClient Client(Uri gateway, string signingKey, string role)
    {
        var client = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            DevTokens.Create(signingKey, "kommune", role, "bench", DateTime.UtcNow, TimeSpan.FromHours(2)));
        return client;
    }

    private static async Task<double> TimeAsync(Func<Task<HttpResponseMessage>> send, Func<string, bool> expected)
    {
        var watch = Stopwatch.StartNew();
        using var response = await send();
        var body = await response.Content.ReadAsStringAsync();
        var elapsed = watch.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode || !expected(body))
        {
            throw new InvalidOperationException($"Unexpected answer {(int)response.StatusCode} from {response.RequestMessage?.RequestUri}.");
        }

        return elapsed;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
