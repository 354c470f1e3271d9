using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace Kim.Hosting.Broker;

/// <summary>
/// A private RabbitMQ cluster of local <c>rabbitmq-server</c> nodes (three by default): one Erlang cookie and one port
/// mapper for all of them, each its own node name, AMQP, management and distribution ports and folder. The first node
/// starts alone, the others find it through the configured node list (peer discovery <c>classic_config</c>) and join.
/// A node stopped or killed comes back into the cluster when started again. Disposing stops every node and the port mapper.
/// </summary>
public sealed class LocalRabbitMqCluster : IAsyncDisposable
{
    private readonly int epmdPort;
    private readonly string directory;

    private LocalRabbitMqCluster(IReadOnlyList<LocalRabbitMqNode> nodes, int epmdPort, string directory)
    {
        Nodes = nodes;
        this.epmdPort = epmdPort;
        this.directory = directory;
    }

    public IReadOnlyList<LocalRabbitMqNode> Nodes { get; }

    /// <summary>A running node's endpoint (the first running one): its management API answers for the whole cluster.</summary>
    public BrokerEndpoint Endpoint => (Nodes.FirstOrDefault(n => n.IsRunning) ?? Nodes[0]).Endpoint;

    /// <summary>The nodes after the first as <c>host:port</c>, as services take them in <c>Messaging:Nodes</c>.</summary>
    public IReadOnlyList<string> FurtherNodes => Nodes.Skip(1).Select(n => $"127.0.0.1:{n.Settings.AmqpPort}").ToList();

    /// <summary>The node called <paramref name="fullNodeName"/> (<c>name@localhost</c>, as the management API names nodes).</summary>
    public LocalRabbitMqNode Node(string fullNodeName) =>
        Nodes.SingleOrDefault(n => n.Settings.FullNodeName == fullNodeName) ?? throw new ArgumentException($"No node '{fullNodeName}' in the cluster.", nameof(fullNodeName));

    /// <summary>Starts <paramref name="size"/> fresh nodes under <paramref name="directory"/> (emptied first, deleted on dispose) and waits until they form one cluster.</summary>
    public static async Task<LocalRabbitMqCluster> StartAsync(string directory, string namePrefix, TimeSpan timeout, int size = 3, CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        var names = Enumerable.Range(1, size).Select(i => $"{namePrefix}{i}").ToList();
        var cookie = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
        var taken = new List<int>();
        var epmd = LocalRabbitMqNode.FreePort();
        taken.Add(epmd);
        var settings = new List<RabbitMqNodeSettings>();
        foreach (var name in names)
        {
            var amqp = LocalRabbitMqNode.FreePort([.. taken]);
            var management = LocalRabbitMqNode.FreePort([.. taken, amqp]);
            var distribution = LocalRabbitMqNode.FreePort([.. taken, amqp, management]);
            taken.AddRange([amqp, management, distribution]);
            settings.Add(new RabbitMqNodeSettings(Path.GetFullPath(Path.Combine(directory, name)), name, amqp, management, distribution, epmd)
            {
                ClusterNodes = names,
                ErlangCookie = cookie,
            });
        }

        var nodes = new List<LocalRabbitMqNode>();
        var cluster = new LocalRabbitMqCluster(nodes, epmd, directory);
        try
        {
            // The first node forms the cluster; the others join it (started together they might form clusters of their own).
            nodes.Add(await LocalRabbitMqNode.StartAsync(settings[0], fresh: true, ownsPortMapper: false, timeout, cancellationToken));
            var others = await Task.WhenAll(settings.Skip(1).Select(s => LocalRabbitMqNode.StartAsync(s, fresh: true, ownsPortMapper: false, timeout, cancellationToken)));
            nodes.AddRange(others);
            await cluster.WaitUntilFormedAsync(timeout, cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The names of the cluster's nodes that run, as the management API of <paramref name="via"/> reports them.</summary>
    public static async Task<IReadOnlyList<string>> RunningNodesAsync(BrokerEndpoint via, CancellationToken cancellationToken = default)
    {
        using var http = via.ManagementHttpClient();
        var nodes = await http.GetFromJsonAsync<JsonElement>("api/nodes", cancellationToken);
        return nodes.EnumerateArray().Where(n => n.TryGetProperty("running", out var running) && running.GetBoolean())
            .Select(n => n.GetProperty("name").GetString()!).ToList();
    }

    /// <summary>Waits until every node runs and reports all of them as running members.</summary>
    public async Task WaitUntilFormedAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var formed = true;
            foreach (var node in Nodes)
            {
                try
                {
                    var running = await RunningNodesAsync(node.Endpoint, cancellationToken);
                    last = $"{node.Settings.FullNodeName} sees {string.Join(", ", running)}";
                    formed &= node.IsRunning && running.Count == Nodes.Count;
                }
                catch (HttpRequestException exception)
                {
                    last = $"{node.Settings.FullNodeName}: {exception.Message}";
                    formed = false;
                }
            }

            if (formed)
            {
                return;
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new BrokerUnavailableException($"The RabbitMQ cluster did not form within {timeout.TotalSeconds:0} s ({last}).");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes.Reverse())
        {
            await node.DisposeAsync();
        }

        await LocalRabbitMqNode.StopPortMapperAsync(epmdPort);
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still being closed by an exiting node; the folder is a temporary one.
        }
    }
}
