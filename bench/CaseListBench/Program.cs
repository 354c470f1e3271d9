using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kim.Hosting;
using Kim.ServiceDefaults.Security;

// The CaseService's JSON of the case list and of a case file through the gateway, with a tenant of many cases, at a
// fixed request rate (open loop: requests leave on schedule whether or not earlier ones have answered, and each
// latency is counted from its scheduled start), then the saturated rate of case file reads. Every read is audited.
// Usage: CaseListBench <gateway> <data directory> <cases> <seconds per phase> <rate> <mode: per-read|batched> <results file>
// The per-read run stores its figures in the results file; the batched run prints them beside its own as the baseline.
var gateway = new Uri(args.ElementAtOrDefault(0) ?? "http://127.0.0.1:8080/");
var data = args.ElementAtOrDefault(1) ?? Path.Combine(RepositoryPaths.Root, ".data");
var wanted = int.Parse(args.ElementAtOrDefault(2) ?? "10000", CultureInfo.InvariantCulture);
var seconds = int.Parse(args.ElementAtOrDefault(3) ?? "30", CultureInfo.InvariantCulture);
var rate = int.Parse(args.ElementAtOrDefault(4) ?? "200", CultureInfo.InvariantCulture);
var mode = args.ElementAtOrDefault(5) ?? "batched";
var results = args.ElementAtOrDefault(6) ?? Path.Combine(Path.GetTempPath(), "caselist-bench.json");
const string Tenant = "kommune";
const int TargetMs = 50;
var secrets = new DevSecrets(data);

using var api = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = TimeSpan.FromMinutes(30) })
{
    BaseAddress = gateway,
    Timeout = TimeSpan.FromMinutes(2),
};
api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
    DevTokens.Create(secrets.SigningKey(), Tenant, KimRoles.CaseManager, "bench", DateTime.UtcNow, TimeSpan.FromHours(2)));

// 1. The tenant gets its cases (open ones, with a client each), written through the API as people would.
var existing = await TotalAsync();
var seeding = Stopwatch.StartNew();
await Parallel.ForEachAsync(Enumerable.Range(existing, Math.Max(0, wanted - existing)), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, token) =>
{
    var response = await api.PostAsJsonAsync($"api/tenants/{Tenant}/cases", new
    {
        client = new { givenName = $"Person{i}", familyName = $"Bench{i % 997}", birthDate = new DateOnly(1960 + (i % 45), 1 + (i % 12), 1 + (i % 28)) },
        accessRoute = "SelfReferral",
    }, token);
    response.EnsureSuccessStatusCode();
});
var cases = await TotalAsync();
Console.WriteLine($"cases in tenant {Tenant}: {cases} ({Math.Max(0, wanted - existing)} written in {seeding.Elapsed.TotalSeconds:F0} s); audit of reads: {mode}");

var ids = new List<Guid>();
for (var skip = 0; ids.Count < 2000 && skip < cases; skip += 200)
{
    using var page = JsonDocument.Parse(await api.GetStringAsync($"api/tenants/{Tenant}/cases?take=200&skip={skip}"));
    ids.AddRange(page.RootElement.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
}

var random = Random.Shared;
string ListPath() => $"api/tenants/{Tenant}/cases?take=50&skip={50 * random.Next(4)}";
string FilePath() => $"api/tenants/{Tenant}/cases/{ids[random.Next(ids.Count)]}";

// 2. Warm-up (JIT, connection pools, caches), then each read at the fixed rate.
await OpenLoopAsync(ListPath, rate, TimeSpan.FromSeconds(5));
await OpenLoopAsync(FilePath, rate, TimeSpan.FromSeconds(5));
var list = await OpenLoopAsync(ListPath, rate, TimeSpan.FromSeconds(seconds));
var file = await OpenLoopAsync(FilePath, rate, TimeSpan.FromSeconds(seconds));

// 3. Saturated: as many case file reads as 32 clients without pause get answered.
var readsPerSecond = await SaturatedAsync(FilePath, 32, TimeSpan.FromSeconds(Math.Min(seconds, 15)));

var figures = new Figures(Percentile(list, 0.5), Percentile(list, 0.95), Percentile(list, 0.99), Percentile(file, 0.5), Percentile(file, 0.95), Percentile(file, 0.99), readsPerSecond);
Console.WriteLine($"case list (50 cases a page, each audited) at {rate}/s for {seconds} s, {cases} cases in the tenant: median {figures.ListMedian:F1} ms, p95 {figures.ListP95:F1} ms, p99 {figures.ListP99:F1} ms");
Console.WriteLine($"case file at {rate}/s for {seconds} s: median {figures.FileMedian:F1} ms, p95 {figures.FileP95:F1} ms, p99 {figures.FileP99:F1} ms");
Console.WriteLine($"case file reads, saturated (32 clients): {figures.ReadsPerSecond:F0} reads/s");

if (mode == "per-read")
{
    await File.WriteAllTextAsync(results, JsonSerializer.Serialize(figures));
    return 0;
}

Console.WriteLine(Target("case-list-p95", figures.ListP95));
Console.WriteLine(Target("case-file-p95", figures.FileP95));
if (File.Exists(results) && JsonSerializer.Deserialize<Figures>(await File.ReadAllTextAsync(results)) is { } perRead)
{
    Console.WriteLine($"baseline, one audit transaction per read: case list p95 {perRead.ListP95:F1} ms, case file p95 {perRead.FileP95:F1} ms, saturated {perRead.ReadsPerSecond:F0} reads/s");
    var ratio = figures.ReadsPerSecond / perRead.ReadsPerSecond;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"TARGET audited-reads-batched | measured {figures.ReadsPerSecond:F0} reads/s | baseline audit-per-read {perRead.ReadsPerSecond:F0} reads/s | ratio {ratio:F2} | target >= 1.0x | {(ratio >= 1.0 ? "met" : "not met")}"));
}

return 0;

string Target(string name, double p95) => string.Create(CultureInfo.InvariantCulture,
    $"TARGET {name} | measured {p95:F1} ms | baseline none | ratio - | target < {TargetMs} ms at {rate}/s with {cases} cases | {(p95 < TargetMs ? "met" : "not met")}");

async Task<int> TotalAsync()
{
    using var page = JsonDocument.Parse(await api.GetStringAsync($"api/tenants/{Tenant}/cases?take=1"));
    return page.RootElement.GetProperty("total").GetInt32();
}

async Task<List<double>> OpenLoopAsync(Func<string> path, int perSecond, TimeSpan duration)
{
    var count = (int)(perSecond * duration.TotalSeconds);
    var start = Stopwatch.GetTimestamp();
    var sent = new List<Task<double>>(count);
    for (var i = 0; i < count; i++)
    {
        var due = start + (long)i * Stopwatch.Frequency / perSecond;
        var wait = due - Stopwatch.GetTimestamp();
        if (wait > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
        }

        sent.Add(SendAsync(path(), due));
    }

    return [.. await Task.WhenAll(sent)];
}

async Task<double> SendAsync(string path, long scheduled)
{
    // Counted from the scheduled start: a request held up by an earlier one counts its wait.
    using var response = await api.GetAsync(path);
    await response.Content.ReadAsByteArrayAsync();
    var elapsed = Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds;
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"Unexpected answer {(int)response.StatusCode} from {path}.");
    }

    return elapsed;
}

async Task<double> SaturatedAsync(Func<string> path, int clients, TimeSpan duration)
{
    var answered = 0;
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
    {
        while (watch.Elapsed < duration)
        {
            await SendAsync(path(), Stopwatch.GetTimestamp());
            Interlocked.Increment(ref answered);
        }
    }));
    return answered / watch.Elapsed.TotalSeconds;
}

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

internal sealed record Figures(double ListMedian, double ListP95, double ListP99, double FileMedian, double FileP95, double FileP99, double ReadsPerSecond);
