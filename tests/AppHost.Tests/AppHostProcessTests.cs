using System.Diagnostics;
using System.Net;
using Kim.AppHost.Broker;
using Kim.Testing;

namespace Kim.AppHost.Tests;

/// <summary>
/// Runs AppHost exactly as a developer does (its own process, its own local broker node), waits for the resource
/// table, checks the gateway answers, sends Ctrl+C (SIGINT) and checks that no process it started is left.
/// </summary>
public sealed class AppHostProcessTests : IDisposable
{
    private readonly TestDirectories directories = new("apphost");

    [Fact]
    public async Task Run_starts_every_resource_prints_the_table_and_leaves_no_process_after_ctrl_c()
    {
        var ports = TestPlatform.Options(directories.Path, "kommune", "caritas");
        var (gatewayPort, networkPort, reportingPort, caseFirstPort) = (ports.GatewayPort, ports.NetworkServicePort, ports.ReportingServicePort, ports.CaseServiceFirstPort);
        // As from a terminal: SIGINT at its default disposition, even when this test runs in a background job,
        // which inherits SIGINT ignored (and .NET then never sees Ctrl+C).
        var start = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(typeof(PlatformRunner).Assembly.Location);
        foreach (var argument in new[]
        {
            $"--Platform:DataDirectory={directories.Path}", $"--Platform:GatewayPort={gatewayPort}", $"--Platform:NetworkServicePort={networkPort}",
            $"--Platform:ReportingServicePort={reportingPort}", $"--Platform:CaseServiceFirstPort={caseFirstPort}",
            "--Platform:Tenants:0=kommune", "--Platform:Tenants:1=caritas", "--Platform:Tenants:2=", "--Platform:EchoOutput=false",
        })
        {
            start.ArgumentList.Add(argument);
        }

        // Not the test run's shared broker: AppHost has to start its own node here.
        start.Environment.Remove("ConnectionStrings__messaging");
        start.Environment.Remove("RabbitMq__ManagementUri");
        using var appHost = Process.Start(start)!;
        var output = new OutputTail(200);
        output.Attach(appHost);

        await Eventually.TrueAsync(() => Task.FromResult(output.ToString().Contains("Platform ready") || appHost.HasExited), "the resource table", TimeSpan.FromMinutes(3));
        var table = output.ToString();
        Assert.False(appHost.HasExited, table);
        foreach (var resource in new[] { "messaging", "networkservice", "reportingservice", "caseservice-kommune", "caseservice-caritas", "gateway" })
        {
            Assert.Contains(resource, table, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("caseservice-diakonie", table, StringComparison.Ordinal);
        Assert.Contains($"http://127.0.0.1:{gatewayPort}", table, StringComparison.Ordinal);
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{gatewayPort}/health")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"http://127.0.0.1:{gatewayPort}/api/reports/overview")).StatusCode);
        var children = ProcessesUsing(directories.Path);
        Assert.True(children.Count >= 5, $"expected the broker and four services among the children, found {children.Count}");

        using (var interrupt = Process.Start("kill", ["-INT", appHost.Id.ToString()]))
        {
            await interrupt.WaitForExitAsync();
        }

        using var exitTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await appHost.WaitForExitAsync(exitTimeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail("AppHost did not stop within 120 s of Ctrl+C. Its output:" + Environment.NewLine + output);
        }

        Assert.Equal(0, appHost.ExitCode);
        Assert.DoesNotContain(ProcessesUsing(directories.Path), IsRunning);
        var left = children.Where(IsRunning).ToList();
        Assert.True(left.Count == 0, "still running: " + string.Join(", ", left));
    }

    [Fact]
    public async Task A_child_that_cannot_start_is_reported_with_its_last_lines_and_everything_else_is_stopped()
    {
        using var occupied = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        var port = ((IPEndPoint)occupied.LocalEndpoint).Port;
        var options = new PlatformOptions
        {
            DataDirectory = directories.Path,
            Tenants = ["caritas"],
            GatewayPort = port,
            NetworkServicePort = LocalRabbitMqNode.FreePort(port),
            EchoOutput = false,
        };
        options.ReportingServicePort = LocalRabbitMqNode.FreePort(port, options.NetworkServicePort);
        options.CaseServiceFirstPort = LocalRabbitMqNode.FreePort(port, options.NetworkServicePort, options.ReportingServicePort);
        var paths = PlatformPaths.FromBuild(options);

        await using var runner = new PlatformRunner(options, paths, _ => { });
        var error = await Assert.ThrowsAsync<PlatformStartException>(() => runner.StartAsync("amqp://guest:guest@127.0.0.1:1/", null, CancellationToken.None));

        Assert.Contains($"port {port}", error.Message, StringComparison.Ordinal);
        Assert.Empty(runner.Resources);
    }

    /// <summary>Alive and not a zombie (an exited process only waiting for init to reap it holds nothing).</summary>
    private static bool IsRunning(int pid)
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

    /// <summary>Processes whose command line or environment mentions <paramref name="marker"/> (our children carry the data folder in both).</summary>
    private static List<int> ProcessesUsing(string marker)
    {
        var found = new List<int>();
        foreach (var folder in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(folder, "environ")).Contains(marker, StringComparison.Ordinal)
                    || File.ReadAllText(Path.Combine(folder, "cmdline")).Contains(marker, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }

        return found;
    }

    public void Dispose()
    {
        // A failed run must not leave its platform behind to starve the tests after it.
        foreach (var pid in ProcessesUsing(directories.Path).Where(IsRunning))
        {
            try
            {
                using var leftover = Process.GetProcessById(pid);
                leftover.Kill(entireProcessTree: true);
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone already.
            }
        }

        directories.Dispose();
    }
}
