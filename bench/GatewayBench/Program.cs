using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Kim.Hosting;
using Kim.Hosting.SignIn;

// The gateway against the same CaseService called directly and through nginx (HTTP/1.1 keep-alive upstream), on a
// cheap authenticated GET with a real access token of the platform's provider. Saturated throughput with wrk (closed
// loop), added latency at a fixed rate with an open-loop generator of its own (wrk cannot hold a rate; latencies count
// from the moment a request was due, so a stall is not hidden). Runs interleave the three paths; figures are medians.
// Usage: GatewayBench <data directory> <direct> <nginx> <gateway> <path> [rounds] [seconds] [rate] [name=pid,pid ...]
var inv = CultureInfo.InvariantCulture;
var tokenOnly = args.Contains("--token-only");
args = [.. args.Where(a => a != "--token-only")];
var data = args[0];
var bases = new[] { ("direct", new Uri(args[1])), ("nginx", new Uri(args[2])), ("gateway", new Uri(args[3])) };
var path = args[4];
var rounds = int.Parse(args.ElementAtOrDefault(5) ?? "3", inv);
var seconds = int.Parse(args.ElementAtOrDefault(6) ?? "10", inv);
var rate = int.Parse(args.ElementAtOrDefault(7) ?? "2000", inv);
var processes = args.Skip(8).Select(a => a.Split('=', 2)).ToDictionary(a => a[0], a => a[1].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, inv)).ToArray());

// 1. A person's access token from the provider (authorization code flow of the command line client, as `kim login`).
var secrets = new DevSecrets(data);
string token;
using (var signIn = new CodeFlowSignIn(new Uri(bases[2].Item2, "identity/"), CliClient.Id, CliClient.RedirectUri))
{
    token = (await signIn.SignInAsync("case-manager@kommune", secrets.Secret("identity-seed-password"))).AccessToken;
}

if (tokenOnly)
{
    Console.WriteLine(token);
    return 0;
}

var targets = bases.Select(b => (Name: b.Item1, Url: new Uri(b.Item2, path))).ToArray();
var clients = targets.ToDictionary(t => t.Name, _ =>
{
    var client = new HttpClient(new SocketsHttpHandler
    {
        UseCookies = false,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        MaxConnectionsPerServer = int.MaxValue,
    })
    { Timeout = TimeSpan.FromSeconds(30) };
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    return client;
});
foreach (var (name, url) in targets)
{
    using var response = await clients[name].GetAsync(url);
    Console.WriteLine($"{name}: {url} answers {(int)response.StatusCode} ({(await response.Content.ReadAsStringAsync()).Length} bytes)");
    if (!response.IsSuccessStatusCode)
    {
        return 1;
    }
}

// 2. Saturated throughput: wrk, 2 threads, 32 connections; the first round of each path only warms up.
var throughput = targets.ToDictionary(t => t.Name, _ => new List<double>());
var cpu = targets.ToDictionary(t => t.Name, _ => new Dictionary<string, List<double>>());
for (var round = 0; round <= rounds; round++)
{
    foreach (var (name, url) in Rotate(targets, round))
    {
        var before = processes.ToDictionary(p => p.Key, p => CpuMilliseconds(p.Value));
        var (requests, perSecond, errors) = Wrk(url, token, round == 0 ? 5 : seconds);
        if (errors > 0)
        {
            Console.WriteLine($"  {name}: {errors} answers other than 2xx/3xx");
        }

        if (round == 0)
        {
            continue;
        }

        throughput[name].Add(perSecond);
        foreach (var (process, pids) in processes)
        {
            var per = (CpuMilliseconds(pids) - before[process]) * 1000 / requests;
            cpu[name].TryAdd(process, []);
            cpu[name][process].Add(per);
        }

        Console.WriteLine($"  round {round} {name}: {perSecond:F0} requests/s");
    }
}

Console.WriteLine($"saturated throughput, wrk 2 threads x 32 connections, {seconds} s per run, median of {rounds} interleaved runs:");
foreach (var (name, _) in targets)
{
    var processCpu = string.Join(", ", cpu[name].Select(c => $"{c.Key} {Median(c.Value):F0} µs"));
    Console.WriteLine($"  {name}: {Median(throughput[name]):F0} requests/s; CPU per request: {processCpu}");
}

// 3. Latency at a fixed rate, open loop; the first round warms up. A rate the service itself cannot serve would only
//    measure its queue: then the rate is lowered to half of the service's own saturated throughput, and said so.
var direct = Median(throughput["direct"]);
if (rate > direct * 0.8)
{
    Console.WriteLine($"  the CaseService alone saturates at {direct:F0} requests/s: latency measured at {(int)(direct * 0.5)} requests/s instead of {rate}");
    rate = (int)(direct * 0.5);
}

var p50 = targets.ToDictionary(t => t.Name, _ => new List<double>());
var p99 = targets.ToDictionary(t => t.Name, _ => new List<double>());
for (var round = 0; round <= rounds; round++)
{
    foreach (var (name, url) in Rotate(targets, round))
    {
        var (latencies, failed) = await HoldRateAsync(clients[name], url, rate, TimeSpan.FromSeconds(round == 0 ? 5 : seconds));
        if (failed > 0)
        {
            Console.WriteLine($"  {name}: {failed} failed requests");
        }

        if (round > 0)
        {
            p50[name].Add(Percentile(latencies, 0.50));
            p99[name].Add(Percentile(latencies, 0.99));
            Console.WriteLine($"  round {round} {name}: p50 {p50[name][^1]:F2} ms, p99 {p99[name][^1]:F2} ms");
        }
    }
}

Console.WriteLine($"latency at {rate} requests/s (open loop), {seconds} s per run, median of {rounds} interleaved runs:");
foreach (var (name, _) in targets)
{
    Console.WriteLine($"  {name}: p50 {Median(p50[name]):F2} ms, p99 {Median(p99[name]):F2} ms");
}

var (nginx, gateway) = (Median(throughput["nginx"]), Median(throughput["gateway"]));
var addedP50 = Median(p50["gateway"]) - Median(p50["direct"]);
var addedP99 = Median(p99["gateway"]) - Median(p99["direct"]);
Console.WriteLine($"  added by nginx: p50 {Median(p50["nginx"]) - Median(p50["direct"]):F2} ms, p99 {Median(p99["nginx"]) - Median(p99["direct"]):F2} ms");
Target("gateway-vs-nginx", gateway, "requests/s", "nginx", nginx, ">= 1.0x", gateway / nginx >= 1.0);
Target("gateway-vs-direct", gateway, "requests/s", "direct", direct, ">= 0.6x", gateway / direct >= 0.6);
Target("gateway-added-latency-p50", addedP50, "ms", null, 0, $"< 0.5 ms at {rate} requests/s", addedP50 < 0.5);
Target("gateway-added-latency-p99", addedP99, "ms", null, 0, $"< 2 ms at {rate} requests/s", addedP99 < 2);
return 0;

void Target(string name, double measured, string unit, string? baseline, double baselineValue, string target, bool met) =>
    Console.WriteLine(baseline is null
        ? string.Create(inv, $"TARGET {name} | measured {measured:F2} {unit} | baseline none | ratio - | target {target} | {(met ? "met" : "not met")}")
        : string.Create(inv, $"TARGET {name} | measured {measured:F0} {unit} | baseline {baseline} {baselineValue:F0} {unit} | ratio {measured / baselineValue:F2} | target {target} | {(met ? "met" : "not met")}"));

static IEnumerable<(string Name, Uri Url)> Rotate((string Name, Uri Url)[] items, int round) =>
    items.Skip(round % items.Length).Concat(items.Take(round % items.Length));

static (long Requests, double PerSecond, long Errors) Wrk(Uri url, string token, int seconds)
{
    var start = new ProcessStartInfo("wrk", ["-t2", "-c32", $"-d{seconds}s", "-H", $"Authorization: Bearer {token}", url.ToString()])
    {
        RedirectStandardOutput = true,
    };
    using var wrk = Process.Start(start)!;
    var output = wrk.StandardOutput.ReadToEnd();
    wrk.WaitForExit();
    var requests = long.Parse(Regex.Match(output, @"(\d+) requests in").Groups[1].Value, CultureInfo.InvariantCulture);
    var perSecond = double.Parse(Regex.Match(output, @"Requests/sec:\s+([\d.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
    var errors = Regex.Match(output, @"Non-2xx or 3xx responses: (\d+)") is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    return (requests, perSecond, errors);
}

// User and system CPU time of the processes (Linux /proc, clock ticks of 10 ms).
static double CpuMilliseconds(int[] pids) => pids.Sum(pid =>
{
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) * 10;
});

// Sends rate requests a second whether or not earlier ones have answered; each latency counts from when it was due.
// More than 2,000 unanswered requests count as failures (and are not sent), so an overload ends instead of piling up.
static async Task<(List<double> Latencies, int Failed)> HoldRateAsync(HttpClient client, Uri url, int rate, TimeSpan duration)
{
    var total = (int)(rate * duration.TotalSeconds);
    var latencies = new double[total];
    var sends = new Task[total];
    var failed = 0;
    var outstanding = 0;
    var clock = Stopwatch.StartNew();
    await Task.Factory.StartNew(() =>
    {
        var sent = 0;
        while (sent < total)
        {
            var due = Math.Min(total, (int)(clock.Elapsed.TotalSeconds * rate) + 1);
            for (; sent < due; sent++)
            {
                if (Volatile.Read(ref outstanding) >= 2000)
                {
                    Interlocked.Increment(ref failed);
                    latencies[sent] = double.NaN;
                    sends[sent] = Task.CompletedTask;
                    continue;
                }

                Interlocked.Increment(ref outstanding);
                sends[sent] = Send(sent);
            }

            Thread.Sleep(1);
        }
    }, TaskCreationOptions.LongRunning);
    await Task.WhenAll(sends);
    return (latencies.Where(l => !double.IsNaN(l)).ToList(), failed);

    async Task Send(int index)
    {
        var dueAt = index * 1000.0 / rate;
        try
        {
            using var response = await client.GetAsync(url);
            await response.Content.LoadIntoBufferAsync();
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref failed);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Interlocked.Increment(ref failed);
        }

        latencies[index] = clock.Elapsed.TotalMilliseconds - dueAt;
        Interlocked.Decrement(ref outstanding);
    }
}

static double Median(List<double> values) => Percentile(values, 0.5);

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    if (sorted.Count == 0)
    {
        return double.NaN;
    }

    return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
