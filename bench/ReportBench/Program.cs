using System.Diagnostics;
using System.Globalization;
using Kim.ReportingService.EventStore;
using Kim.ReportingService.Infrastructure;
using Kim.ReportingService.ReadModels;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.EntityFrameworkCore;

namespace Kim.ReportBench;

/// <summary>
/// The municipal reports at a history of N stored events against the same reports at 10,000 events, measured in the
/// same run: for each size, an event store is written once (years of a district's KIM in the platform's own event
/// shape and serialisation, inserted directly into the ReportingService's SQLite file, bypassing the broker), the real
/// ReportingService process starts on it, the operator's rebuild builds the read model (timed), and every report is
/// requested (p50/p95); the process's peak memory is read from /proc.
/// Usage: ReportBench &lt;service dll&gt; &lt;work directory&gt; &lt;events&gt; &lt;samples&gt;; the broker from ConnectionStrings__messaging.
/// </summary>
public static class Bench
{
    private const int BaselineEvents = 10_000;
    private const double TargetMs = 200;
    private static readonly string[] Reports =
        ["overview", "dashboard", "referrals", "case-work", "indicators", $"submissions/{DateTime.UtcNow.Year}"];

    public static async Task<int> Main(string[] args)
    {
        var service = Path.GetFullPath(args[0]);
        var work = Path.GetFullPath(args[1]);
        var events = long.Parse(args.ElementAtOrDefault(2) ?? "1000000", CultureInfo.InvariantCulture);
        var samples = int.Parse(args.ElementAtOrDefault(3) ?? "50", CultureInfo.InvariantCulture);
        Directory.CreateDirectory(work);

        var baseline = await MeasureAsync(service, work, BaselineEvents, samples);
        var measured = await MeasureAsync(service, work, events, samples);

        Console.WriteLine($"reports at {measured.Events:N0} stored events against {baseline.Events:N0} (p95 over {samples} requests each, ReportingService called directly):");
        foreach (var report in Reports)
        {
            var (p50, p95) = measured.Reports[report];
            var (b50, b95) = baseline.Reports[report];
            Console.WriteLine($"  {report}: p50 {p50:F1} ms, p95 {p95:F1} ms (at {baseline.Events:N0}: p50 {b50:F1} ms, p95 {b95:F1} ms)");
        }

        foreach (var report in Reports)
        {
            var name = report.Split('/')[0];
            var p95 = measured.Reports[report].P95;
            var b95 = baseline.Reports[report].P95;
            Target($"report-{name}-p95", p95, "ms", $"{baseline.Events:N0} events", b95, $"< {TargetMs} ms at 20 M events", p95 < TargetMs);
        }

        var projected = measured.RebuildSeconds * (20_000_000.0 / measured.Events);
        Console.WriteLine($"rebuild: {measured.RebuildSeconds:F1} s for {measured.Events:N0} events ({measured.Events / measured.RebuildSeconds:N0} events/s), at {baseline.Events:N0}: {baseline.RebuildSeconds:F2} s; projected to 20 M at the same rate: {projected:F0} s");
        Target("rebuild-20M-projected", projected, "s", $"{baseline.Events:N0} events", baseline.RebuildSeconds * (20_000_000.0 / baseline.Events), "< 600 s for 20 M events", projected < 600);
        Target("reportingservice-peak-memory", measured.PeakMegabytes, "MB", $"{baseline.Events:N0} events", baseline.PeakMegabytes, "< 500 MB at 20 M events", measured.PeakMegabytes < 500);
        return 0;
    }

    private static void Target(string name, double value, string unit, string baselineName, double baselineValue, string target, bool met) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"TARGET {name} | measured {value:F1} {unit} | baseline {baselineName} {baselineValue:F1} {unit} | ratio {value / baselineValue:F2} | target {target} | {(met ? "met" : "not met")}"));

    private sealed record Measurement(long Events, double RebuildSeconds, double PeakMegabytes, Dictionary<string, (double P50, double P95)> Reports);

    private static async Task<Measurement> MeasureAsync(string service, string work, long events, int samples)
    {
        var database = Path.Combine(work, $"reporting-{events}.db");
        var stored = await SeedAsync(database, events);
        var signingKey = DevTokens.NewSigningKey();
        var port = 18500 + (int)(events % 400);
        var process = Process.Start(new ProcessStartInfo("dotnet", [service])
        {
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["ConnectionStrings__reportingdb"] = $"Data Source={database}",
                ["Authentication__DevSigningKey"] = signingKey,
                ["Logging__LogLevel__Default"] = "Warning",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var address = new Uri($"http://127.0.0.1:{port}/");
            using var coordinator = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(10) }.WithToken(signingKey, "kommune", KimRoles.Coordinator);
            using var operatorClient = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromHours(2) }.WithToken(signingKey, "kommune", KimRoles.Operator, lifetime: TimeSpan.FromHours(3));
            await WaitAliveAsync(coordinator);

            var watch = Stopwatch.StartNew();
            (await operatorClient.PostAsync("api/reports/projections/rebuild", null)).EnsureSuccessStatusCode();
            var rebuild = watch.Elapsed.TotalSeconds;

            var reports = new Dictionary<string, (double, double)>();
            foreach (var report in Reports)
            {
                var times = new List<double>();
                for (var i = 0; i < samples + 5; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    using var response = await coordinator.GetAsync($"api/reports/{report}");
                    response.EnsureSuccessStatusCode();
                    await response.Content.ReadAsByteArrayAsync();
                    if (i >= 5)
                    {
                        // The first five warm up (JIT, SQLite's page cache).
                        times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                }

                reports[report] = (Percentile(times, 0.5), Percentile(times, 0.95));
            }

            return new Measurement(stored, rebuild, PeakMegabytes(process.Id), reports);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>
    /// Writes about <paramref name="events"/> events once: years of three tenants' cases (<see cref="YearOfEvents"/>),
    /// each year one batch, stored as the consumers store them; the read model's state says "current", so the rebuild
    /// is the operator's, timed.
    /// </summary>
    private static async Task<long> SeedAsync(string database, long events)
    {
        var options = new DbContextOptionsBuilder<SqliteReportingDbContext>().UseSqlite($"Data Source={database}").Options;
        await using var db = new SqliteReportingDbContext(options);
        await db.Database.MigrateAsync();
        var count = await db.StoredEvents.LongCountAsync();
        if (count >= events)
        {
            return count;
        }

        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var clock = TimeProvider.System;
        var now = clock.GetUtcNow().UtcDateTime;
        // About 26 events per case; a year holds at most 40,000 cases per tenant.
        var casesPerTenant = (int)Math.Clamp(events / 78, 10, 40_000);
        for (var year = 0; count < events; year++)
        {
            // Earlier years are complete (their cases ended); only this year's last weeks are still open.
            var history = YearOfEvents.Create(["kommune", "caritas", "diakonie"], casesPerTenant, now.AddYears(-year), seed: 2026 + year, completed: year > 0);
            foreach (var chunk in history.Take((int)Math.Min(history.Count, events - count)).Chunk(10_000))
            {
                db.StoredEvents.AddRange(chunk.Select(e => StoredEvents.From((dynamic)e, e.MessageId, clock) as StoredEvent ?? throw new InvalidOperationException()));
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
                count += chunk.Length;
            }

            Console.WriteLine($"  event store {Path.GetFileName(database)}: {count:N0} events");
        }

        if (await db.ReadModelStates.FindAsync(1) is null)
        {
            db.ReadModelStates.Add(new ReadModelState { Version = ReadModelState.CurrentVersion });
            await db.SaveChangesAsync();
        }

        return count;
    }

    private static async Task WaitAliveAsync(HttpClient client)
    {
        for (var i = 0; i < 600; i++)
        {
            try
            {
                if ((await client.GetAsync("alive")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("The ReportingService did not start.");
    }

    private static double PeakMegabytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) ?? "VmHWM: 0 kB";
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    private static double Percentile(List<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
