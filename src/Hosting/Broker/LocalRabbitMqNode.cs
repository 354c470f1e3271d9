using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Kim.ServiceDefaults.Messaging;

namespace Kim.Hosting.Broker;

/// <summary>
/// A private RabbitMQ node started from the locally installed <c>rabbitmq-server</c> binary: its own node name,
/// ports, Erlang port mapper and folders, so it neither needs nor disturbs a system broker. Stopping it stops
/// the node and its port mapper and leaves no process behind.
/// </summary>
public sealed class LocalRabbitMqNode : IAsyncDisposable
{
    private static readonly string[] KnownLocations = ["/usr/lib/rabbitmq/bin/rabbitmq-server", "/usr/sbin/rabbitmq-server", "/usr/local/sbin/rabbitmq-server", "/opt/homebrew/sbin/rabbitmq-server"];

    private readonly ProcessStartInfo start;
    private Process process;
    private readonly int? epmdPort;
    private readonly string directory;
    private readonly bool deleteDirectory;
    private readonly OutputTail output;

    private LocalRabbitMqNode(ProcessStartInfo start, Process process, int? epmdPort, string directory, bool deleteDirectory, OutputTail output, BrokerEndpoint endpoint)
    {
        this.start = start;
        this.process = process;
        this.epmdPort = epmdPort;
        this.directory = directory;
        this.deleteDirectory = deleteDirectory;
        this.output = output;
        Endpoint = endpoint;
    }

    public BrokerEndpoint Endpoint { get; }

    /// <summary>The node's name, ports and folder.</summary>
    public RabbitMqNodeSettings Settings { get; private init; } = null!;

    /// <summary>The <c>rabbitmq-server</c> script: <c>RABBITMQ_SERVER</c> if set, else a known install location or PATH.</summary>
    public static string? FindServerBinary()
    {
        var configured = Environment.GetEnvironmentVariable("RABBITMQ_SERVER");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured) ? configured : null;
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "rabbitmq-server"));
        return KnownLocations.Concat(onPath).FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Starts a node (on <paramref name="amqpPort"/> when given, else a free port) whose data live in <paramref name="directory"/>. With <paramref name="fresh"/> the folder is
    /// emptied first and deleted on stop (tests); without, durable queues and messages survive a restart (development).
    /// </summary>
    public static Task<LocalRabbitMqNode> StartAsync(string directory, string nodeName, bool fresh, TimeSpan timeout, CancellationToken cancellationToken = default, int? amqpPort = null)
    {
        if (fresh && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        return StartAsync(RabbitMqNodeSettings.Create(directory, nodeName, amqpPort), fresh, ownsPortMapper: true, timeout, cancellationToken);
    }

    /// <summary>
    /// Starts a node with <paramref name="settings"/> (its folder emptied first and deleted on dispose when <paramref name="fresh"/>).
    /// A node that <paramref name="ownsPortMapper"/> stops the port mapper with itself; the nodes of a cluster share one, which the cluster stops.
    /// </summary>
    public static async Task<LocalRabbitMqNode> StartAsync(RabbitMqNodeSettings settings, bool fresh, bool ownsPortMapper, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var binary = FindServerBinary()
            ?? throw new BrokerUnavailableException("rabbitmq-server is not installed (looked for RABBITMQ_SERVER, " + string.Join(", ", KnownLocations) + " and PATH).");
        var directory = settings.Directory;
        if (fresh && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        settings.WriteConfiguration();
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var (key, value) in settings.Environment())
        {
            start.Environment[key] = value;
        }

        var output = new OutputTail(60);
        var process = ChildProcesses.Start(start);
        output.Attach(process);
        var endpoint = settings.Endpoint("guest", "guest");
        var node = new LocalRabbitMqNode(start, process, ownsPortMapper ? settings.EpmdPort : null, directory, fresh, output, endpoint) { Settings = settings };
        try
        {
            await node.WaitUntilReadyAsync(timeout, cancellationToken);
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var management = new RabbitMqManagementClient(Endpoint.ManagementUri);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new BrokerUnavailableException($"rabbitmq-server exited with code {process.ExitCode}:{Environment.NewLine}{output}");
            }

            if (await RabbitMqNodeSettings.IsReadyAsync(management, Endpoint.AmqpUri.Port, cancellationToken))
            {
                return;
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new BrokerUnavailableException($"rabbitmq-server did not become ready within {timeout.TotalSeconds:0} s:{Environment.NewLine}{output}");
    }

    /// <summary>True while the node's process runs.</summary>
    public bool IsRunning => !process.HasExited;

    /// <summary>Stops the node (as an operator or a crash would), keeping its data, ports and folder for <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        await ChildProcesses.StopAsync(process, TimeSpan.FromSeconds(20));
        await StopPortMapperAsync();
    }

    /// <summary>Kills the node's processes (SIGKILL, as a crash or a lost machine would), keeping its data for <see cref="StartAgainAsync"/>.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Starts a stopped node again on the same ports with the same data (durable queues and persistent messages survive).</summary>
    public async Task StartAgainAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (!process.HasExited)
        {
            throw new InvalidOperationException("The node is running.");
        }

        process.Dispose();
        process = ChildProcesses.Start(start);
        output.Attach(process);
        await WaitUntilReadyAsync(timeout, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await ChildProcesses.StopAsync(process, TimeSpan.FromSeconds(20));
        process.Dispose();
        await StopPortMapperAsync();
        if (deleteDirectory)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still being closed by the exiting node; the folder is a temporary one.
            }
        }
    }

    private async Task StopPortMapperAsync()
    {
        if (epmdPort is { } port)
        {
            await StopPortMapperAsync(port);
        }
    }

    /// <summary>Stops the Erlang port mapper listening on <paramref name="epmdPort"/>.</summary>
    internal static async Task StopPortMapperAsync(int epmdPort)
    {
        var epmd = new ProcessStartInfo("epmd", "-kill") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        epmd.Environment["ERL_EPMD_PORT"] = epmdPort.ToString();
        try
        {
            using var kill = Process.Start(epmd);
            if (kill is not null)
            {
                await kill.WaitForExitAsync();
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // epmd is not on PATH: the node was started with the Erlang distribution's own copy, which exits with it.
        }
    }

    /// <summary>
    /// A free TCP port on the loopback interface, distinct from <paramref name="taken"/>, below the range the system hands
    /// out for outgoing connections (Linux: from 32768). A port from that range (what binding port 0 gives) can be taken
    /// by any outgoing connection between choosing it and the process that listens on it starting, and then that
    /// process cannot start.
    /// </summary>
    public static int FreePort(params int[] taken)
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(FirstListeningPort, LastListeningPort + 1);
            if (!taken.Contains(port) && CanListen(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free port between {FirstListeningPort} and {LastListeningPort} on the loopback interface.");
    }

    /// <summary>
    /// The first of <paramref name="count"/> consecutive free ports, none of them in <paramref name="taken"/>: for services
    /// that number their ports from one (the CaseServices of the tenants).
    /// </summary>
    public static int FreeConsecutivePorts(int count, params int[] taken)
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var first = FreePort(taken);
            if (Enumerable.Range(first, count).All(port => !taken.Contains(port) && CanListen(port)))
            {
                return first;
            }
        }

        throw new InvalidOperationException($"No {count} consecutive free ports between {FirstListeningPort} and {LastListeningPort} on the loopback interface.");
    }

    /// <summary>The ports <see cref="FreePort"/> chooses from: above the registered services' usual ports, below the ephemeral range.</summary>
    public const int FirstListeningPort = 20000, LastListeningPort = 32000;

    /// <summary>Whether a process could listen on <paramref name="port"/> of the loopback interface now.</summary>
    private static bool CanListen(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
