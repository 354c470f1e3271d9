using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Kim.Hosting;
using Kim.ReportingService.Infrastructure;
using Kim.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

// Event to report visible: cases are opened through the gateway at a fixed rate (open loop: a request is sent on
// schedule whether or not the earlier ones were answered), and afterwards the ReportingService's store says when each
// CaseOpened arrived; it is counted by the reports in that same transaction. Lag = arrival - the event's time. The
// target rate is measured against a low rate in the same run.
// Usage: LagBench <gateway> <data directory> [target rate=500] [seconds=30] [baseline rate=50]
var gateway = new Uri(args.ElementAtOrDefault(0) ?? "http://127.0.0.1:8080/");
var data = args.ElementAtOrDefault(1) ?? Path.Combine(RepositoryPaths.Root, ".data");
var rate = int.Parse(args.ElementAtOrDefault(2) ?? "500", CultureInfo.InvariantCulture);
var seconds = int.Parse(args.ElementAtOrDefault(3) ?? "30", CultureInfo.InvariantCulture);
var baselineRate = int.Parse(args.ElementAtOrDefault(4) ?? "50", CultureInfo.InvariantCulture);
const string Tenant = "kommune";
var secrets = new DevSecrets(data);
using var api = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512 }) { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(5) };
api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
    DevTokens.Create(secrets.SigningKey(), Tenant, KimRoles.CaseManager, "bench", DateTime.UtcNow, TimeSpan.FromHours(2)));
// Every case is a new person: a person already known is answered as a possible duplicate (409), so names are unique
// per run and phase, also across runs on the same data folder.
var run = Guid.NewGuid().ToString("N")[..8];
var phase = 0;
var options = new DbContextOptionsBuilder<SqliteReportingDbContext>().UseSqlite($"Data Source={Path.Combine(data, "reportingservice", "reportingdb.db")}").Options;

await RunAsync(10, 5); // warm-up
var baseline = await RunAsync(baselineRate, seconds);
var measured = await RunAsync(rate, seconds);
Console.WriteLine($"event to report (CaseOpened written through the gateway, stored and counted by the ReportingService), {seconds} s per rate:");
foreach (var (name, r) in new[] { ("baseline", baseline), ("target", measured) })
{
    Console.WriteLine($"  {name} {r.Rate}/s: {r.Accepted} accepted ({r.Accepted / (double)seconds:F0}/s), {r.Failed} failed, lag p50 {r.P50:F0} ms, p99 {r.P99:F0} ms, max {r.Max:F0} ms; answers p99 {r.AnswerP99:F0} ms");
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"TARGET event-to-report-p99 | measured {measured.P99:F1} ms | baseline {baselineRate}/s {baseline.P99:F1} ms | ratio {measured.P99 / baseline.P99:F2} | target < 250 ms at a sustained {rate} events/s | {(measured.P99 < 250 && measured.Accepted >= rate * seconds * 0.99 ? "met" : "not met")}"));
return 0;

async Task<Result> RunAsync(int perSecond, int duration)
{
    var started = DateTime.UtcNow;
    var prefix = $"Lag{run}p{++phase}n";
    var clock = Stopwatch.StartNew();
    var total = perSecond * duration;
    var answers = new List<double>();
    var failed = 0;
    var requests = new List<Task>();
    for (var i = 0; i < total; i++)
    {
        var due = TimeSpan.FromSeconds(i / (double)perSecond);
        if (due > clock.Elapsed)
        {
            await Task.Delay(due - clock.Elapsed);
        }

        var n = i;
        requests.Add(Task.Run(async () =>
        {
            var sent = Stopwatch.GetTimestamp();
            try
            {
                using var response = await api.PostAsJsonAsync($"api/tenants/{Tenant}/cases", new
                {
                    client = new { givenName = prefix + n.ToString(CultureInfo.InvariantCulture), familyName = $"Bench{n % 997}", birthDate = new DateOnly(1960 + (n % 45), 1 + (n % 12), 1 + (n % 28)) },
                    accessRoute = "SelfReferral",
                });
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failed);
                    return;
                }

                lock (answers)
                {
                    answers.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                }
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref failed);
            }
        }));
    }

    await Task.WhenAll(requests);
    // Every accepted case's event arrives: wait until the store holds them all.
    await using var db = new SqliteReportingDbContext(options);
    List<double> lags = [];
    for (var attempt = 0; attempt < 600; attempt++)
    {
        var arrived = await db.StoredEvents.AsNoTracking().Where(e => e.EventType == "CaseOpened" && e.TenantId == Tenant && e.OccurredAt >= started)
            .Select(e => new { e.OccurredAt, e.ReceivedAt }).ToListAsync();
        lags = [.. arrived.Select(e => (e.ReceivedAt - e.OccurredAt).TotalMilliseconds)];
        if (lags.Count >= answers.Count)
        {
            break;
        }

        await Task.Delay(500);
    }

    return new Result(perSecond, answers.Count, failed, Percentile(lags, 0.5), Percentile(lags, 0.99), lags.DefaultIfEmpty(0).Max(), Percentile(answers, 0.99));
}

static double Percentile(List<double> values, double q)
{
    if (values.Count == 0)
    {
        return double.NaN;
    }

    var sorted = values.Order().ToArray();
    return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}

internal sealed record Result(int Rate, int Accepted, int Failed, double P50, double P99, double Max, double AnswerP99);
