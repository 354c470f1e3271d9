using Kim.Hosting.Broker;
using Kim.ServiceDefaults.Messaging;
using Xunit;

namespace Kim.Testing;

/// <summary>
/// A real RabbitMQ broker for a test class. The test command starts one node for the whole run and passes it in
/// <c>ConnectionStrings__messaging</c> and <c>RabbitMq__ManagementUri</c>; without those (a single test run
/// from an IDE) the fixture starts its own private node. Each fixture works in its own virtual hosts, so test
/// classes never see each other's queues.
/// </summary>
public sealed class RabbitMqFixture : IAsyncLifetime
{
    private readonly List<string> virtualHosts = [];
    private LocalRabbitMqNode? ownNode;

    public BrokerEndpoint Endpoint { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var amqp = Environment.GetEnvironmentVariable("ConnectionStrings__messaging");
        var management = Environment.GetEnvironmentVariable("RabbitMq__ManagementUri");
        if (!string.IsNullOrWhiteSpace(amqp) && !string.IsNullOrWhiteSpace(management))
        {
            Endpoint = new BrokerEndpoint(new Uri(amqp), new Uri(management), "shared test broker");
            return;
        }

        var id = Guid.NewGuid().ToString("N")[..8];
        ownNode = await LocalRabbitMqNode.StartAsync(Path.Combine(Path.GetTempPath(), "kim-test-broker-" + id), "kimtest" + id, fresh: true, TimeSpan.FromSeconds(90));
        Endpoint = ownNode.Endpoint;
    }

    public RabbitMqManagementClient Management() => new(Endpoint.ManagementUri);

    /// <summary>Creates a fresh virtual host, grants the broker's user full rights in it, and returns its amqp URI.</summary>
    public async Task<string> CreateVirtualHostAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
        using var management = Management();
        await management.CreateVirtualHostAsync(name);
        var user = Uri.UnescapeDataString(Endpoint.ManagementUri.UserInfo.Split(':')[0]);
        await management.SetPermissionsAsync(name, user, ".*", ".*", ".*");
        virtualHosts.Add(name);
        return Endpoint.ForVirtualHost(name).ToString();
    }

    public async Task DisposeAsync()
    {
        if (ownNode is not null)
        {
            await ownNode.DisposeAsync();
            return;
        }

        using var management = Management();
        foreach (var name in virtualHosts)
        {
            await management.DeleteVirtualHostAsync(name);
        }
    }
}
