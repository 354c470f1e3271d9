using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Kim.Hosting;
using Kim.Hosting.Broker;
using Kim.Testing;

namespace Kim.AppHost.Tests;

/// <summary>
/// Runs AppHost exactly as a developer does (its own process, the dashboard, its own local broker node with its port
/// mapper), waits until it says the platform is ready, checks the gateway and the dashboard answer, sends Ctrl+C
/// (SIGINT) or SIGTERM, and checks that no process of ours is left within 30 s: no service, no beam.smp, no epmd, no dcp.
/// </summary>
public sealed class AppHostProcessTests : IDisposable
{
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(30);
    private readonly TestDirectories directories = new("apphost");
    private readonly List<int> ours = [];
    private int appHostId;

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Run_starts_every_resource_and_leaves_no_process_after_the_signal(string signal)
    {
        var ports = Enumerable.Range(0, 7).Aggregate(new List<int>(), (taken, _) => { taken.Add(LocalRabbitMqNode.FreePort([.. taken])); return taken; });
        var (gatewayPort, networkPort, reportingPort, dashboardPort, otlpPort) = (ports[0], ports[1], ports[2], ports[3], ports[4]);
        var caseFirstPort = LocalRabbitMqNode.FreeConsecutivePorts(2, [.. ports]);
        // As from a terminal: SIGINT at its default disposition, even when this test runs in a background job,
        // which inherits SIGINT ignored (and .NET then never sees Ctrl+C).
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "--default-signal=INT", "dotnet", typeof(PlatformOptions).Assembly.Location,
            $"--Platform:DataDirectory={directories.Path}", $"--Platform:GatewayPort={gatewayPort}", $"--Platform:NetworkServicePort={networkPort}",
            $"--Platform:ReportingServicePort={reportingPort}", "--Platform:StateReportingServicePort=0", $"--Platform:CaseServiceFirstPort={caseFirstPort}",
            "--Platform:Tenants:0=kommune", "--Platform:Tenants:1=caritas", "--Platform:Tenants:2=", $"--Platform:IdentityPort={ports[5]}", $"--Platform:WebAppPort={ports[6]}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        // The dashboard as the launch profile configures it; not the test run's shared broker: AppHost starts its own node.
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{dashboardPort}";
        start.Environment["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{otlpPort}";
        start.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        start.Environment["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true";
        start.Environment.Remove("ConnectionStrings__messaging");
        start.Environment.Remove("RabbitMq__ManagementUri");
        using var appHost = Process.Start(start)!;
        appHostId = appHost.Id;
        var output = new OutputTail(400);
        output.Attach(appHost);

        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(output.ToString().Contains("Platform ready", StringComparison.Ordinal) || appHost.HasExited), "the platform to be ready", TimeSpan.FromMinutes(4));
        }
        catch (TimeoutException)
        {
            var endpoints = new Dictionary<string, int>
            {
                ["gateway"] = gatewayPort,
                ["networkservice"] = networkPort,
                ["reportingservice"] = reportingPort,
                ["identity"] = ports[5],
                ["webapp"] = ports[6],
                ["caseservice-kommune"] = caseFirstPort,
                ["caseservice-caritas"] = caseFirstPort + 1,
            };
            Assert.Fail(await NotReadyReportAsync(appHost.Id, endpoints, output));
        }

        Assert.False(appHost.HasExited, output.ToString());
        Assert.Contains($"Gateway: http://127.0.0.1:{gatewayPort}/", output.ToString(), StringComparison.Ordinal);
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{gatewayPort}/health")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"http://127.0.0.1:{gatewayPort}/api/reports/overview")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{dashboardPort}/")).StatusCode);

        // One case opened through the gateway shows in the dashboard as one trace across gateway, CaseService and ReportingService.
        using var caritas = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gatewayPort}/") }
            .WithToken(new DevSecrets(directories.Path).SigningKey(), "caritas", Kim.ServiceDefaults.Security.KimRoles.CaseManager);
        using (var opened = await caritas.PostAsJsonAsync("/api/tenants/caritas/cases", new { client = new { givenName = "Amira", familyName = "Haddad", birthDate = "1991-04-12" } }))
        {
            Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        }

        await Eventually.TrueAsync(async () => DashboardTraces.ServicesPerTrace(await http.GetStringAsync($"http://127.0.0.1:{dashboardPort}/api/telemetry/traces"))
            .Any(services => services.IsSupersetOf(["gateway", "caseservice-caritas", "reportingservice"])), "the trace in the dashboard", TimeSpan.FromSeconds(60));

        ours.AddRange(ProcessTree.Of(appHost.Id));
        var commands = ours.Select(ProcessTree.CommandLine).ToList();
        Assert.Contains(commands, c => c.Contains("beam.smp", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.Contains("epmd -port", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.Contains("/dcp", StringComparison.Ordinal));
        // NetworkService, ReportingService, two CaseServices, the identity provider, the web front end and the gateway.
        Assert.Equal(7, commands.Count(c => c.Contains("/net10.0/Kim.", StringComparison.Ordinal) && !c.Contains("Kim.AppHost", StringComparison.Ordinal)));

        var stopping = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-" + signal, appHost.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
        }

        await Eventually.TrueAsync(() => Task.FromResult(!ours.Any(ProcessTree.IsRunning)), "every process of the platform to stop", StopLimit + TimeSpan.FromSeconds(30));
        var left = ours.Where(ProcessTree.IsRunning).Select(ProcessTree.CommandLine).ToList();
        Assert.True(left.Count == 0 && stopping.Elapsed < StopLimit, $"after {stopping.Elapsed.TotalSeconds:0} s still running: {string.Join(", ", left)}");
    }

    /// <summary>What a person needs to see why a start hung: which service answers its health check, which processes run, AppHost's last lines.</summary>
    private static async Task<string> NotReadyReportAsync(int appHost, Dictionary<string, int> endpoints, OutputTail output)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var report = new System.Text.StringBuilder("The platform was not ready within 4 minutes.").AppendLine();
        foreach (var (name, port) in endpoints)
        {
            string answer;
            try
            {
                answer = ((int)(await http.GetAsync($"http://127.0.0.1:{port}/health")).StatusCode).ToString();
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                answer = exception.GetType().Name + ": " + exception.Message;
            }

            report.AppendLine($"  {name} /health on {port}: {answer}");
        }

        var running = ProcessTree.Of(appHost).Select(ProcessTree.CommandLine).Select(c => c.Length > 120 ? c[..120] : c);
        report.AppendLine("  running: " + string.Join(" | ", running));
        report.AppendLine("AppHost's last lines (stack traces left out):");
        foreach (var line in output.Lines.Where(l => !l.TrimStart().StartsWith("at ", StringComparison.Ordinal)).TakeLast(40))
        {
            report.AppendLine(line);
        }

        return report.ToString();
    }

    public void Dispose()
    {
        // A failed run must not leave its platform behind to starve the tests after it.
        if (appHostId != 0)
        {
            ours.AddRange(ProcessTree.Of(appHostId));
        }

        foreach (var pid in ours.Distinct().Where(ProcessTree.IsRunning))
        {
            try
            {
                using var leftover = Process.GetProcessById(pid);
                leftover.Kill();
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone already.
            }
        }

        directories.Dispose();
    }
}

/// <summary>Reads the dashboard's telemetry API (OTLP JSON): which services took part in each trace.</summary>
internal static class DashboardTraces
{
    public static IEnumerable<HashSet<string>> ServicesPerTrace(string json)
    {
        var traces = new Dictionary<string, HashSet<string>>();
        foreach (var resourceSpans in System.Text.Json.Nodes.JsonNode.Parse(json)!["data"]!["resourceSpans"]!.AsArray())
        {
            var service = resourceSpans!["resource"]?["attributes"]?.AsArray()
                .FirstOrDefault(a => a!["key"]!.GetValue<string>() == "service.name")?["value"]?["stringValue"]?.GetValue<string>() ?? "";
            foreach (var span in resourceSpans["scopeSpans"]!.AsArray().SelectMany(s => s!["spans"]!.AsArray()))
            {
                var trace = span!["traceId"]!.GetValue<string>();
                traces.TryAdd(trace, []);
                traces[trace].Add(service);
            }
        }

        return traces.Values;
    }
}

/// <summary>The processes of a platform: AppHost's descendants and the orchestrator (DCP) that monitors it, with theirs.</summary>
internal static class ProcessTree
{
    public static List<int> Of(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var folder in Directory.GetDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), out var pid) && TryParent(pid, out var parent))
            {
                parents[pid] = parent;
            }
        }

        // DCP detaches from AppHost but names it: "--monitor <AppHost pid>".
        var roots = new HashSet<int> { root };
        foreach (var pid in parents.Keys.Where(pid => CommandLine(pid).Contains($"--monitor {root}", StringComparison.Ordinal)))
        {
            roots.Add(pid);
        }

        var found = new HashSet<int>(roots);
        var grew = true;
        while (grew)
        {
            grew = false;
            foreach (var (pid, parent) in parents)
            {
                if (found.Contains(parent) && found.Add(pid))
                {
                    grew = true;
                }
            }
        }

        return [.. found.Where(IsRunning)];
    }

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>Alive and not a zombie (an exited process only waiting for its parent to reap it holds nothing).</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            return !File.ReadAllLines($"/proc/{pid}/status").Any(line => line.StartsWith("State:", StringComparison.Ordinal) && line.Contains("zombie", StringComparison.Ordinal));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool TryParent(int pid, out int parent)
    {
        parent = 0;
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.TryParse(fields[1], out parent);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
