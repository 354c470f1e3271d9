using System.Diagnostics;
using System.Net.Sockets;
using Kim.AppHost.Broker;
using Kim.ServiceDefaults.Messaging;

namespace Kim.AppHost;

/// <summary>A started child process of the platform.</summary>
public sealed class RunningResource(ServiceResource resource, Process process, OutputTail output, string logFile)
{
    public ServiceResource Resource { get; } = resource;

    public Process Process { get; internal set; } = process;

    public OutputTail Output { get; internal set; } = output;

    public string LogFile { get; } = logFile;

    public string Name => Resource.Name;

    public Uri Url => Resource.Url;

    /// <summary>Set while AppHost itself stops or restarts the process, so its exit is not reported as a failure.</summary>
    internal bool Stopping { get; set; }
}

/// <summary>The platform failed to start; the message names the resource and shows its last log lines.</summary>
public sealed class PlatformStartException(string message) : Exception(message);

/// <summary>
/// Starts the platform as processes (broker, NetworkService, ReportingService, one CaseService per tenant, gateway),
/// waits for every <c>/health</c>, and stops everything it started, broker last. Used by the console and by the
/// end-to-end and fault tests, which also restart or kill single resources.
/// </summary>
public sealed class PlatformRunner(PlatformOptions options, PlatformPaths paths, Action<string> write) : IAsyncDisposable
{
    private readonly List<RunningResource> running = [];
    private readonly HttpClient health = new() { Timeout = TimeSpan.FromSeconds(5) };
    private ProvisionedBroker? broker;
    private IReadOnlyList<ServiceResource> model = [];

    public IReadOnlyList<RunningResource> Resources => running;

    public BrokerEndpoint Broker => broker?.Endpoint ?? throw new InvalidOperationException("The platform is not started.");

    public string DevSigningKey => new DevSecrets(paths.DataDirectory).SigningKey();

    public Uri GatewayUrl => this[Kim.ServiceDefaults.ResourceNames.Gateway].Url;

    public RunningResource this[string name] => running.Single(r => r.Name == name);

    /// <summary>
    /// Provisions the broker and starts every resource except <paramref name="deferred"/> (started later with
    /// <see cref="RestartResourceAsync"/>, e.g. to test a fresh installation where one service starts late).
    /// </summary>
    public async Task StartAsync(string? configuredMessaging, string? configuredManagementUri, CancellationToken cancellationToken, IReadOnlyCollection<string>? deferred = null)
    {
        Directory.CreateDirectory(paths.DataDirectory);
        StopLeftovers();
        var secrets = new DevSecrets(paths.DataDirectory);
        var inputs = new PlatformInputs("pending", paths.DataDirectory, secrets.SigningKey(), secrets.PseudonymKey);
        model = PlatformModel.Build(options, inputs);
        EnsurePortsFree(model);
        foreach (var resource in model)
        {
            var build = paths.ServiceAssembly(resource.Project);
            if (!File.Exists(build))
            {
                throw new PlatformStartException($"{resource.Name}: {build} does not exist; build the solution first (dotnet build Kim.sln).");
            }
        }

        broker = await BrokerProvisioner.ProvisionAsync(configuredMessaging, configuredManagementUri,
            Path.Combine(paths.DataDirectory, "rabbitmq"), "kim", freshNode: false, write, cancellationToken);
        inputs = inputs with { MessagingConnectionString = broker.Endpoint.AmqpUri.ToString(), ManagementUri = broker.Endpoint.ManagementUri.ToString() };
        if (options.BrokerUserPerService)
        {
            inputs = inputs with { MessagingByResource = await ProvisionBrokerUsersAsync(model, secrets, cancellationToken) };
        }

        model = PlatformModel.Build(options, inputs);

        foreach (var resource in model.Where(r => deferred?.Contains(r.Name) != true))
        {
            running.Add(Launch(resource));
        }

        await Task.WhenAll(running.Select(r => WaitUntilHealthyAsync(r, cancellationToken)));
    }

    /// <summary>
    /// Creates one broker user per service instance with the rights of <see cref="BrokerAccess"/> in the platform's
    /// virtual host, and returns each instance's connection string. Passwords are development secrets.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string>> ProvisionBrokerUsersAsync(IEnumerable<ServiceResource> resources, DevSecrets secrets, CancellationToken cancellationToken)
    {
        var endpoint = broker!.Endpoint;
        var virtualHost = Uri.UnescapeDataString(endpoint.AmqpUri.AbsolutePath.TrimStart('/'));
        virtualHost = virtualHost.Length == 0 ? "/" : virtualHost;
        var connections = new Dictionary<string, string>();
        foreach (var resource in resources.Where(r => r.Name != Kim.ServiceDefaults.ResourceNames.Gateway))
        {
            var uri = await BrokerAccess.ProvisionAsync(endpoint, virtualHost, resource.Name, secrets.BrokerPassword(resource.Name), cancellationToken);
            connections[resource.Name] = uri.ToString();
        }

        return connections;
    }

    /// <summary>Stops one resource (SIGTERM, or SIGKILL with <paramref name="kill"/>) without reporting it as failed.</summary>
    public async Task StopResourceAsync(string name, bool kill = false)
    {
        var resource = this[name];
        resource.Stopping = true;
        if (kill)
        {
            resource.Process.Kill(entireProcessTree: true);
            await resource.Process.WaitForExitAsync();
        }
        else
        {
            await ChildProcesses.StopAsync(resource.Process, TimeSpan.FromSeconds(15));
        }
    }

    /// <summary>Starts a stopped (or deferred) resource with its configuration and waits until it is healthy.</summary>
    public async Task RestartResourceAsync(string name, CancellationToken cancellationToken)
    {
        if (running.All(r => r.Name != name))
        {
            var launched = Launch(model.Single(r => r.Name == name));
            running.Add(launched);
            await WaitUntilHealthyAsync(launched, cancellationToken);
            return;
        }

        var resource = this[name];
        if (!resource.Process.HasExited)
        {
            await StopResourceAsync(name);
        }

        var fresh = Launch(resource.Resource);
        resource.Process = fresh.Process;
        resource.Output = fresh.Output;
        resource.Stopping = false;
        await WaitUntilHealthyAsync(resource, cancellationToken);
    }

    /// <summary>Completes with the first resource that exits without AppHost asking it to.</summary>
    public async Task<RunningResource> WaitForUnexpectedExitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var failed = running.FirstOrDefault(r => r.Process.HasExited && !r.Stopping);
            if (failed is not null)
            {
                failed.Stopping = true;
                return failed;
            }

            await Task.Delay(500, cancellationToken);
        }
    }

    private RunningResource Launch(ServiceResource resource)
    {
        var build = paths.ServiceAssembly(resource.Project);
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(build)!,
        };
        start.ArgumentList.Add(build);
        foreach (var (key, value) in resource.Environment)
        {
            start.Environment[key] = value;
        }

        var logFile = Path.Combine(paths.DataDirectory, "logs", resource.Name + ".log");
        var output = new OutputTail(40, logFile);
        if (options.EchoOutput)
        {
            var prefix = $"[{resource.Name}] ";
            output.LineWritten += line => write(prefix + line);
        }

        var process = ChildProcesses.Start(start);
        output.Attach(process);
        File.WriteAllText(PidFile(resource.Name), process.Id.ToString());
        return new RunningResource(resource, process, output, logFile);
    }

    private async Task WaitUntilHealthyAsync(RunningResource resource, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < options.HealthTimeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (resource.Process.HasExited)
            {
                throw new PlatformStartException($"{resource.Name} exited with code {resource.Process.ExitCode} before it was healthy. Last lines:{Environment.NewLine}{resource.Output}");
            }

            try
            {
                using var response = await health.GetAsync(new Uri(resource.Url, "health"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new PlatformStartException($"{resource.Name} was not healthy after {options.HealthTimeout.TotalSeconds:0} s ({resource.Url}health). Last lines:{Environment.NewLine}{resource.Output}");
    }

    private void EnsurePortsFree(IEnumerable<ServiceResource> model)
    {
        foreach (var resource in model)
        {
            try
            {
                using var probe = new TcpListener(System.Net.IPAddress.Parse(options.Host), resource.Url.Port);
                probe.Start();
            }
            catch (SocketException)
            {
                throw new PlatformStartException($"{resource.Name}: port {resource.Url.Port} on {options.Host} is in use. Stop what uses it or choose another port (Platform section of src/AppHost/appsettings.json).");
            }
        }
    }

    private string PidFile(string name)
    {
        var folder = Path.Combine(paths.DataDirectory, "run");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name + ".pid");
    }

    /// <summary>Stops children a previous AppHost left behind when it was killed without a chance to clean up.</summary>
    private void StopLeftovers()
    {
        var folder = Path.Combine(paths.DataDirectory, "run");
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (var file in Directory.GetFiles(folder, "*.pid"))
        {
            if (int.TryParse(File.ReadAllText(file).Trim(), out var pid))
            {
                var commandLine = $"/proc/{pid}/cmdline";
                if (File.Exists(commandLine) && File.ReadAllText(commandLine).Contains(paths.RepositoryRoot, StringComparison.Ordinal))
                {
                    write($"stopping process {pid} left behind by an earlier run ({Path.GetFileNameWithoutExtension(file)})");
                    using var leftover = Process.GetProcessById(pid);
                    leftover.Kill(entireProcessTree: true);
                }
            }

            File.Delete(file);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var resource in Enumerable.Reverse(running))
        {
            resource.Stopping = true;
        }

        // The gateway first, then the services together; the broker last, so outboxes can still flush.
        var gateway = running.Where(r => r.Name == Kim.ServiceDefaults.ResourceNames.Gateway).ToList();
        await Task.WhenAll(gateway.Select(r => ChildProcesses.StopAsync(r.Process, TimeSpan.FromSeconds(15))));
        await Task.WhenAll(running.Except(gateway).Select(r => ChildProcesses.StopAsync(r.Process, TimeSpan.FromSeconds(15))));
        foreach (var resource in running)
        {
            resource.Process.Dispose();
            var pidFile = PidFile(resource.Name);
            if (File.Exists(pidFile))
            {
                File.Delete(pidFile);
            }
        }

        running.Clear();
        if (broker is not null)
        {
            await broker.DisposeAsync();
            broker = null;
        }

        health.Dispose();
    }
}

/// <summary>Where the repository, the service builds and the platform's data are.</summary>
public sealed record PlatformPaths(string RepositoryRoot, string BuildConfiguration, string DataDirectory)
{
    public string ServiceAssembly(string project) =>
        Path.Combine(RepositoryRoot, "src", project, "bin", BuildConfiguration, "net10.0", $"Kim.{project}.dll");

    /// <summary>The repository root and configuration this AppHost was built from (recorded at build time).</summary>
    public static PlatformPaths FromBuild(PlatformOptions options)
    {
        var metadata = typeof(PlatformPaths).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value ?? "");
        var root = Path.GetFullPath(metadata["KimRepositoryRoot"]);
        var configuration = options.BuildConfiguration ?? metadata["KimConfiguration"];
        var data = Path.IsPathRooted(options.DataDirectory) ? options.DataDirectory : Path.Combine(root, options.DataDirectory);
        return new PlatformPaths(root, configuration, data);
    }
}
