using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Kim.AppHost;
using Kim.Hosting;
using Kim.Hosting.Broker;
using Kim.ServiceDefaults;
using Kim.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kim.PlatformTesting;

/// <summary>What a test platform consists of: its tenants, broker, data folder and where its telemetry goes.</summary>
public sealed record TestPlatformSettings(string DataDirectory, string MessagingUri, string? ManagementUri, params string[] Tenants)
{
    public string? OtlpEndpoint { get; init; }

    /// <summary>Further nodes of a broker cluster (<c>host:port</c>), passed to AppHost as <c>Messaging:Nodes</c>.</summary>
    public IReadOnlyList<string> MessagingNodes { get; init; } = [];

    /// <summary>Resources declared but not started; a test starts them with <see cref="TestPlatform.StartResourceAsync"/>.</summary>
    public IReadOnlyCollection<string> Deferred { get; init; } = [];

    /// <summary>Environment for every service (AppHost's <c>Platform:Environment</c>), e.g. the gateway's TLS settings toward carriers.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// The platform as AppHost declares it, started by Aspire (DCP) from the same model through
/// <see cref="DistributedApplicationTestingBuilder"/>: real processes on free ports, a temporary data folder, a
/// virtual host of a test broker, no dashboard. Tests stop, kill and start single resources.
/// </summary>
public sealed class TestPlatform : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private const int MaxLogLines = 500_000;
    private readonly DistributedApplication app;
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string Resource, string Line)> logLines = new();
    private readonly CancellationTokenSource stopWatching = new();

    private TestPlatform(DistributedApplication app, TestPlatformSettings settings, IReadOnlyDictionary<string, int> ports)
    {
        this.app = app;
        Settings = settings;
        Ports = ports;
    }

    public TestPlatformSettings Settings { get; }

    /// <summary>Every declared service resource and its HTTP port.</summary>
    public IReadOnlyDictionary<string, int> Ports { get; }

    public Uri GatewayUrl => Url(ResourceNames.Gateway);

    public string DevSigningKey => new DevSecrets(Settings.DataDirectory).SigningKey();

    /// <summary>The generated password of the development users (<c>&lt;role&gt;@&lt;tenant&gt;</c>).</summary>
    public string SeedPassword => new DevSecrets(Settings.DataDirectory).Secret("identity-seed-password");

    /// <summary>The OpenID Connect provider as people reach it: through the gateway.</summary>
    public Uri Issuer => new(GatewayUrl, "identity/");

    public Uri Url(string resource) => new($"http://127.0.0.1:{Ports[resource]}/");

    /// <summary>
    /// Every line the platform's processes wrote to their console (what an operator's log collector stores), by
    /// resource, from the start on; the first half million lines are kept.
    /// </summary>
    public IReadOnlyCollection<(string Resource, string Line)> LogLines => logLines;

    /// <summary>Follows the console of every process (the stream replays what was written before).</summary>
    private void WatchLogs()
    {
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var resource in app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ProjectResource>())
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await foreach (var batch in logs.WatchAsync(resource).WithCancellation(stopWatching.Token))
                    {
                        foreach (var line in batch.Where(_ => logLines.Count < MaxLogLines))
                        {
                            logLines.Enqueue((resource.Name, line.Content));
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    // The platform stops.
                }
            });
        }
    }

    public static async Task<TestPlatform> StartAsync(TestPlatformSettings settings)
    {
        var ports = new Dictionary<string, int>();
        var arguments = Arguments(settings, ports);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync(typeof(PlatformOptions), arguments,
            (options, _) => options.DisableDashboard = true);
        // The orchestrator's and the services' console logs only when something fails badly: the test output stays readable.
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Error));
        foreach (var name in settings.Deferred)
        {
            var deferred = builder.Resources.Single(r => r.Name == name);
            builder.CreateResourceBuilder((ProjectResource)deferred).WithExplicitStart();

            // Nothing waits for a resource that starts only when the test says so (the gateway would wait forever).
            foreach (var resource in builder.Resources)
            {
                foreach (var wait in resource.Annotations.OfType<WaitAnnotation>().Where(w => w.Resource == deferred).ToList())
                {
                    resource.Annotations.Remove(wait);
                }
            }
        }

        var app = await builder.BuildAsync();
        var platform = new TestPlatform(app, settings, ports);
        try
        {
            using var timeout = new CancellationTokenSource(StartTimeout);
            await app.StartAsync(timeout.Token);
            platform.WatchLogs();
            await Task.WhenAll(ports.Keys.Where(name => !settings.Deferred.Contains(name))
                .Select(name => app.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token)));
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }

        return platform;
    }

    /// <summary>AppHost's configuration for <paramref name="settings"/>: free ports, the tenants and nothing else, lifted rate limits.</summary>
    private static string[] Arguments(TestPlatformSettings settings, Dictionary<string, int> ports)
    {
        int Port(string resource)
        {
            var port = LocalRabbitMqNode.FreePort([.. ports.Values]);
            ports[resource] = port;
            return port;
        }

        var arguments = new List<string>
        {
            $"--Platform:DataDirectory={settings.DataDirectory}",
            $"--ConnectionStrings:messaging={settings.MessagingUri}",
            $"--Platform:GatewayPort={Port(ResourceNames.Gateway)}",
            $"--Platform:NetworkServicePort={Port(ResourceNames.NetworkService)}",
            $"--Platform:ReportingServicePort={Port(ResourceNames.ReportingService)}",
            $"--Platform:StateReportingServicePort={Port(ResourceNames.StateReportingService)}",
            $"--Platform:IdentityPort={Port(ResourceNames.Identity)}",
            $"--Platform:WebAppPort={Port(ResourceNames.WebApp)}",
            // Tests write faster than a person: lift the gateway's per-user and per-tenant limits.
            "--Platform:Environment:Gateway__PermitsPerUser=100000",
            "--Platform:Environment:Gateway__PermitsPerTenant=100000",
            "--Platform:Environment:Gateway__PermitsPerAnonymousClient=100000",
        };
        if (settings.ManagementUri is not null)
        {
            arguments.Add($"--RabbitMq:ManagementUri={settings.ManagementUri}");
        }
        else
        {
            arguments.Add("--Platform:BrokerUserPerService=false");
        }

        for (var index = 0; index < settings.MessagingNodes.Count; index++)
        {
            arguments.Add($"--Messaging:Nodes:{index}={settings.MessagingNodes[index]}");
        }

        foreach (var (key, value) in settings.Environment)
        {
            arguments.Add($"--Platform:Environment:{key}={value}");
        }

        if (settings.OtlpEndpoint is not null)
        {
            arguments.Add($"--Platform:OtlpEndpoint={settings.OtlpEndpoint}");
        }

        // The CaseServices take consecutive ports from the first one.
        var first = LocalRabbitMqNode.FreeConsecutivePorts(settings.Tenants.Length, [.. ports.Values]);

        arguments.Add($"--Platform:CaseServiceFirstPort={first}");
        for (var index = 0; index < Math.Max(settings.Tenants.Length, PlatformOptions.DefaultTenants.Count); index++)
        {
            // An empty entry removes a default tenant of appsettings.json.
            arguments.Add($"--Platform:Tenants:{index}={(index < settings.Tenants.Length ? settings.Tenants[index] : "")}");
            if (index < settings.Tenants.Length)
            {
                ports[ResourceNames.CaseService(settings.Tenants[index])] = first + index;
            }
        }

        return [.. arguments];
    }

    /// <summary>The process ids Aspire reports for <paramref name="resource"/> (the process it started).</summary>
    public int ProcessId(string resource)
    {
        if (!app.ResourceNotifications.TryGetCurrentState(resource, out var state))
        {
            throw new InvalidOperationException($"{resource} has no state.");
        }

        var pid = state.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value;
        return Convert.ToInt32(pid, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>SIGKILL for the resource's processes (what Aspire started and the service under it), as a crash would.</summary>
    public async Task KillResourceAsync(string resource)
    {
        using var process = Process.GetProcessById(ProcessId(resource));
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    /// <summary>Stops a resource gracefully (as an operator does from the dashboard).</summary>
    public async Task StopResourceAsync(string resource)
    {
        var result = await Commands.ExecuteCommandAsync(resource, KnownResourceCommands.StopCommand);
        if (!result.Success)
        {
            throw new InvalidOperationException($"{resource} did not stop: {result.Message}");
        }

        await app.ResourceNotifications.WaitForResourceAsync(resource, KnownResourceStates.TerminalStates);
    }

    /// <summary>Starts a stopped, killed or deferred resource and waits until it is healthy.</summary>
    public async Task StartResourceAsync(string resource)
    {
        var result = await Commands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand);
        if (!result.Success)
        {
            throw new InvalidOperationException($"{resource} did not start: {result.Message}");
        }

        using var timeout = new CancellationTokenSource(StartTimeout);
        await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
    }

    /// <summary>Starts every started resource that has stopped or was killed, and waits until all of them are healthy.</summary>
    public async Task RestoreAsync()
    {
        var started = Ports.Keys.Where(name => !Settings.Deferred.Contains(name)).ToList();
        using var timeout = new CancellationTokenSource(StartTimeout);
        foreach (var name in started)
        {
            if (!app.ResourceNotifications.TryGetCurrentState(name, out var state) || state.Snapshot.State?.Text is not { } text)
            {
                continue;
            }

            if (text == KnownResourceStates.Stopping)
            {
                // A stop still under way: let it end, then start again.
                await app.ResourceNotifications.WaitForResourceAsync(name, KnownResourceStates.TerminalStates, timeout.Token);
                text = KnownResourceStates.Exited;
            }

            if (KnownResourceStates.TerminalStates.Contains(text))
            {
                await StartResourceAsync(name);
            }
        }

        await Task.WhenAll(started.Select(name => app.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token)));
    }

    private ResourceCommandService Commands => app.Services.GetRequiredService<ResourceCommandService>();

    public async ValueTask DisposeAsync()
    {
        await stopWatching.CancelAsync();
        stopWatching.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
