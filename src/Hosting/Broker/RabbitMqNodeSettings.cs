using System.Net;
using System.Net.Sockets;
using Kim.ServiceDefaults.Messaging;

namespace Kim.Hosting.Broker;

/// <summary>
/// A private RabbitMQ node's name, ports and folders, and the configuration files and environment that make
/// <c>rabbitmq-server</c> use them: its own Erlang port mapper, bound to 127.0.0.1, the management plug-in on.
/// Used by AppHost's broker resource and by the test broker of <see cref="LocalRabbitMqNode"/>.
/// </summary>
public sealed record RabbitMqNodeSettings(string Directory, string NodeName, int AmqpPort, int ManagementPort, int DistributionPort, int EpmdPort)
{
    /// <summary>
    /// The short names of every node of the node's cluster (itself included); empty for a single node. A cluster's
    /// nodes find each other through the configured list (peer discovery <c>classic_config</c>) and one port mapper.
    /// </summary>
    public IReadOnlyList<string> ClusterNodes { get; init; } = [];

    /// <summary>The Erlang cookie the nodes of a cluster share (written to <c>.erlang.cookie</c> in the node's home); null for the generated one.</summary>
    public string? ErlangCookie { get; init; }

    /// <summary>TLS only on the AMQP port (no plain listener), or null for plain AMQP.</summary>
    public RabbitMqTlsListener? Tls { get; init; }

    /// <summary>The full Erlang node name (<c>name@localhost</c>).</summary>
    public string FullNodeName => NodeName + "@localhost";

    /// <summary>Settings with free loopback ports (the AMQP port is <paramref name="amqpPort"/> when given).</summary>
    public static RabbitMqNodeSettings Create(string directory, string nodeName, int? amqpPort = null)
    {
        var port = amqpPort ?? LocalRabbitMqNode.FreePort();
        var management = LocalRabbitMqNode.FreePort(port);
        var distribution = LocalRabbitMqNode.FreePort(port, management);
        var epmd = LocalRabbitMqNode.FreePort(port, management, distribution);
        return new RabbitMqNodeSettings(Path.GetFullPath(directory), nodeName, port, management, distribution, epmd);
    }

    /// <summary>Writes the node's configuration files into <see cref="Directory"/> (created if missing).</summary>
    public void WriteConfiguration()
    {
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(Path.Combine(Directory, "enabled_plugins"), "[rabbitmq_management].\n");
        File.WriteAllText(Path.Combine(Directory, "rabbitmq.conf"), string.Join('\n',
            "loopback_users.guest = true",
            "management.tcp.ip = 127.0.0.1",
            "management.tcp.port = " + ManagementPort,
            "log.console = true",
            "log.console.level = warning",
            "log.file = false",
            ""));
        Tls?.AppendConfiguration(Path.Combine(Directory, "rabbitmq.conf"), AmqpPort);
        if (ClusterNodes.Count > 0)
        {
            File.AppendAllLines(Path.Combine(Directory, "rabbitmq.conf"), [
                "cluster_formation.peer_discovery_backend = classic_config",
                .. ClusterNodes.Select((node, index) => $"cluster_formation.classic_config.nodes.{index + 1} = {node}@localhost"),
                // A node cut off from the others pauses rather than going on alone; quorum queues keep working on the majority.
                "cluster_partition_handling = pause_minority",
            ]);
        }

        if (ErlangCookie is not null && !OperatingSystem.IsWindows())
        {
            var cookie = Path.Combine(Directory, ".erlang.cookie");
            if (File.Exists(cookie))
            {
                File.SetUnixFileMode(cookie, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.WriteAllText(cookie, ErlangCookie);
            File.SetUnixFileMode(cookie, UnixFileMode.UserRead);
        }
    }

    /// <summary>The environment of the <c>rabbitmq-server</c> process.</summary>
    public IReadOnlyDictionary<string, string> Environment() => WithoutPlainListenerForTls(new Dictionary<string, string>
    {
        ["HOME"] = Directory,
        ["ERL_EPMD_PORT"] = EpmdPort.ToString(),
        ["RABBITMQ_NODENAME"] = FullNodeName,
        ["RABBITMQ_USE_LONGNAME"] = "false",
        ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_NODE_PORT"] = AmqpPort.ToString(),
        ["RABBITMQ_DIST_PORT"] = DistributionPort.ToString(),
        ["RABBITMQ_MNESIA_BASE"] = Path.Combine(Directory, "mnesia"),
        ["RABBITMQ_LOG_BASE"] = Path.Combine(Directory, "log"),
        ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(Directory, "enabled_plugins"),
        ["RABBITMQ_PID_FILE"] = Path.Combine(Directory, "node.pid"),
        ["RABBITMQ_CONFIG_FILE"] = Path.Combine(Directory, "rabbitmq"),
        ["RABBITMQ_CONFIG_FILES"] = Path.Combine(Directory, "conf.d"),
        ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(Directory, "advanced.config"),
        ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(Directory, "rabbitmq-env.conf"),
    });

    private Dictionary<string, string> WithoutPlainListenerForTls(Dictionary<string, string> environment)
    {
        if (Tls is not null)
        {
            // These would open a plain TCP listener next to the TLS one of rabbitmq.conf.
            environment.Remove("RABBITMQ_NODE_IP_ADDRESS");
            environment.Remove("RABBITMQ_NODE_PORT");
        }

        return environment;
    }

    /// <summary>The node's AMQP and management addresses for <paramref name="user"/>.</summary>
    public BrokerEndpoint Endpoint(string user, string password) => new(
        new Uri($"{(Tls is null ? "amqp" : "amqps")}://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@127.0.0.1:{AmqpPort}/"),
        new Uri($"http://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@127.0.0.1:{ManagementPort}/"),
        "local rabbitmq-server node " + NodeName);

    /// <summary>Ready means: the management API answers that the node runs, and the AMQP port accepts connections.</summary>
    public static async Task<bool> IsReadyAsync(RabbitMqManagementClient management, int amqpPort, CancellationToken cancellationToken)
    {
        if (!await management.IsReadyAsync(cancellationToken))
        {
            return false;
        }

        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, amqpPort, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
