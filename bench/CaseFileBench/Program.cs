using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kim.Hosting;
using Kim.ServiceDefaults.Security;

// Server render time of the case file (Fallakte) through the gateway, with a tenant of many cases, against a baseline
// measured in the same run: the CaseService's own JSON of the same case through the same gateway. Samples interleave
// the two. Usage: CaseFileBench <gateway> <data directory> [cases] [samples]
var gateway = new Uri(args.ElementAtOrDefault(0) ?? "http://127.0.0.1:8080/");
var data = args.ElementAtOrDefault(1) ?? Path.Combine(RepositoryPaths.Root, ".data");
var wanted = int.Parse(args.ElementAtOrDefault(2) ?? "10000", System.Globalization.CultureInfo.InvariantCulture);
var samples = int.Parse(args.ElementAtOrDefault(3) ?? "300", System.Globalization.CultureInfo.InvariantCulture);
const string Tenant = "kommune";
var secrets = new DevSecrets(data);

using var api = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(2) };
api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
    DevTokens.Create(secrets.SigningKey(), Tenant, KimRoles.CaseManager, "bench", DateTime.UtcNow, TimeSpan.FromHours(2)));

// 1. The tenant gets its cases (open ones, with a client each), written through the API as people would.
var existing = await TotalAsync();
var seeding = Stopwatch.StartNew();
var next = existing;
await Parallel.ForEachAsync(Enumerable.Range(existing, Math.Max(0, wanted - existing)), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, token) =>
{
    var response = await api.PostAsJsonAsync($"api/tenants/{Tenant}/cases", new
    {
        client = new { givenName = $"Person{i}", familyName = $"Bench{i % 997}", birthDate = new DateOnly(1960 + (i % 45), 1 + (i % 12), 1 + (i % 28)) },
        accessRoute = "SelfReferral",
    }, token);
    response.EnsureSuccessStatusCode();
    Interlocked.Increment(ref next);
});
Console.WriteLine($"cases in tenant {Tenant}: {await TotalAsync()} ({wanted - existing} written in {seeding.Elapsed.TotalSeconds:F0} s)");

// 2. Sign in through the front end as a person does, in Debian's chromium (the provider's form, its cookies and
//    redirects); the session cookie then serves a plain HTTP client, so the browser's own time is not measured.
var cookies = new CookieContainer();
using (var playwright = await Microsoft.Playwright.Playwright.CreateAsync())
{
    await using var chromium = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox", "--disable-gpu"] });
    var context = await chromium.NewContextAsync(new() { BaseURL = gateway.ToString() });
    var signIn = await context.NewPageAsync();
    await signIn.GotoAsync("/");
    await signIn.FillAsync("#UserName", "case-manager@kommune");
    await signIn.FillAsync("#Password", secrets.Secret("identity-seed-password"));
    await signIn.PressAsync("#Password", "Enter");
    await signIn.WaitForURLAsync(url => !url.Contains("/identity/", StringComparison.Ordinal));
    foreach (var cookie in await context.CookiesAsync())
    {
        cookies.Add(new Cookie(cookie.Name, cookie.Value, cookie.Path, cookie.Domain));
    }
}

using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = gateway };
var home = await browser.GetStringAsync("/");
if (!home.Contains("Meine Arbeit", StringComparison.Ordinal))
{
    Console.Error.WriteLine("Sign-in through the front end failed.");
    return 1;
}

// 3. Interleaved samples of random cases: the rendered case file, and the API's JSON of the same case.
var ids = new List<Guid>();
for (var skip = 0; ids.Count < 2000 && skip < wanted; skip += 200)
{
    using var page = JsonDocument.Parse(await api.GetStringAsync($"api/tenants/{Tenant}/cases?take=200&skip={skip}"));
    ids.AddRange(page.RootElement.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
}

var random = new Random(17);
var rendered = new List<double>();
var json = new List<double>();
for (var i = 0; i < samples + 20; i++)
{
    var id = ids[random.Next(ids.Count)];
    var page = await TimeAsync(() => browser.GetAsync($"/faelle/{id}"), body => body.Contains("Fallakte Person", StringComparison.Ordinal));
    var baseline = await TimeAsync(() => api.GetAsync($"api/tenants/{Tenant}/cases/{id}"), body => body.Contains(id.ToString(), StringComparison.Ordinal));
    if (i >= 20)
    {
        // The first 20 warm up (JIT, connection pools, caches).
        rendered.Add(page);
        json.Add(baseline);
    }
}

Console.WriteLine($"case file (Fallakte) rendered by the front end, {samples} samples, {await TotalAsync()} cases in the tenant:");
Console.WriteLine($"  front end: median {Percentile(rendered, 0.5):F1} ms, p95 {Percentile(rendered, 0.95):F1} ms");
Console.WriteLine($"  baseline (CaseService JSON of the same case through the gateway): median {Percentile(json, 0.5):F1} ms, p95 {Percentile(json, 0.95):F1} ms");
Console.WriteLine($"  ratio front end / baseline: median {Percentile(rendered, 0.5) / Percentile(json, 0.5):F2}, p95 {Percentile(rendered, 0.95) / Percentile(json, 0.95):F2}");
return 0;

async Task<int> TotalAsync()
{
    using var page = JsonDocument.Parse(await api.GetStringAsync($"api/tenants/{Tenant}/cases?take=1"));
    return page.RootElement.GetProperty("total").GetInt32();
}

static async Task<double> TimeAsync(Func<Task<HttpResponseMessage>> send, Func<string, bool> expected)
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

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
