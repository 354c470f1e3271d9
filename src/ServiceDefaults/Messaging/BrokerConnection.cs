using MassTransit;
using Microsoft.Extensions.Configuration;
using RabbitMQ.Client;

namespace Kim.ServiceDefaults.Messaging;

/// <summary>
/// How a service reaches the broker, in one place for the bus, the health probes and the operator commands:
/// <c>ConnectionStrings:messaging</c> (an <c>amqp</c> or <c>amqps</c> URI with the user, password, virtual host and
/// the first node) and <c>Messaging:Nodes</c> (further nodes of a cluster as <c>host:port</c>; the connection goes
/// to the first that answers and moves to another when its node is lost); for <c>amqps</c> the TLS settings of
/// <c>Messaging:Tls</c> (<see cref="BrokerTls"/>).
/// </summary>
public sealed class BrokerConnection
{
    public BrokerConnection(Uri uri, IEnumerable<string>? furtherNodes = null)
    {
        if (uri.Scheme is not ("amqp" or "amqps"))
        {
            throw new InvalidOperationException($"ConnectionStrings:{ResourceNames.Messaging} must be an amqp or amqps URI.");
        }

        Uri = uri;
        var nodes = new List<string> { $"{uri.Host}:{PortOf(uri)}" };
        foreach (var node in furtherNodes ?? [])
        {
            var trimmed = node.Trim();
            if (trimmed.Length > 0 && !nodes.Contains(trimmed, StringComparer.OrdinalIgnoreCase))
            {
                nodes.Add(trimmed.Contains(':') ? trimmed : $"{trimmed}:{PortOf(uri)}");
            }
        }

        Nodes = nodes;
    }

    /// <summary>The connection URI (credentials, virtual host, first node).</summary>
    public Uri Uri { get; }

    /// <summary>Every node as <c>host:port</c>, the URI's first.</summary>
    public IReadOnlyList<string> Nodes { get; }

    /// <summary>Whether the URI asks for TLS (<c>amqps</c>).</summary>
    public bool UsesTls => Uri.Scheme == "amqps";

    /// <summary>How an <c>amqps</c> connection checks the broker and presents itself (<c>Messaging:Tls</c>, see <see cref="BrokerTls"/>).</summary>
    public BrokerTls Tls { get; init; } = new();

    /// <summary>The nodes without credentials, for logs and health messages.</summary>
    public string Describe() => string.Join(", ", Nodes);

    public static BrokerConnection FromConfiguration(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ResourceNames.Messaging)
            ?? throw new InvalidOperationException(
                $"ConnectionStrings:{ResourceNames.Messaging} is not set (an amqp URI such as amqp://guest:guest@127.0.0.1:5672/).");
        var nodes = configuration.GetSection("Messaging:Nodes").Get<string[]>() ?? [];
        var connection = new BrokerConnection(new Uri(connectionString), nodes) { Tls = BrokerTls.FromConfiguration(configuration) };
        if (connection.Tls.IsConfigured && !connection.UsesTls)
        {
            // Settings for TLS next to a plain URI are a mistake that would send everything unencrypted.
            throw new InvalidOperationException($"{BrokerTls.SectionName} is set, but ConnectionStrings:{ResourceNames.Messaging} is not an amqps URI.");
        }

        return connection;
    }

    /// <summary>A client connection factory for short probes and operator commands (no automatic recovery).</summary>
    public ConnectionFactory CreateFactory(string clientName)
    {
        var factory = new ConnectionFactory
        {
            Uri = Uri,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(2),
            AutomaticRecoveryEnabled = false,
            ClientProvidedName = clientName,
        };
        if (UsesTls)
        {
            factory.Ssl = Tls.CreateOption(Uri.Host);
        }

        return factory;
    }

    /// <summary>Opens a connection to the first node that answers.</summary>
    public Task<IConnection> ConnectAsync(string clientName, CancellationToken cancellationToken)
    {
        var factory = CreateFactory(clientName);
        var endpoints = Nodes.Select(node => Endpoint(node, factory)).ToList();
        return factory.CreateConnectionAsync(endpoints, clientName, cancellationToken);
    }

    /// <summary>Points MassTransit at the broker (every node of a cluster).</summary>
    public void ConfigureHost(IRabbitMqBusFactoryConfigurator rabbit)
    {
        rabbit.Host(Uri, host =>
        {
            if (UsesTls)
            {
                // MassTransit turns TLS on by itself only for port 5671 and would accept any certificate chain.
                host.UseSsl(ssl => Tls.Apply(ssl, Uri.Host));
            }

            if (Nodes.Count > 1)
            {
                host.UseCluster(cluster =>
                {
                    foreach (var node in Nodes)
                    {
                        cluster.Node(node);
                    }
                });
            }
        });
    }

    private AmqpTcpEndpoint Endpoint(string node, ConnectionFactory factory)
    {
        var separator = node.LastIndexOf(':');
        var host = node[..separator];
        // The probes check each node's certificate against its own name unless Messaging:Tls:ServerName names a common
        // one; MassTransit's bus checks every node against one name, so a cluster over TLS needs that setting.
        var ssl = factory.Ssl.Enabled ? Tls.CreateOption(host) : factory.Ssl;
        return new AmqpTcpEndpoint(host, int.Parse(node[(separator + 1)..], System.Globalization.CultureInfo.InvariantCulture), ssl);
    }

    private static int PortOf(Uri uri) => uri.IsDefaultPort || uri.Port < 0 ? (uri.Scheme == "amqps" ? 5671 : 5672) : uri.Port;
}
