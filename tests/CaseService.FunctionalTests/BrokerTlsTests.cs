using Kim.Hosting.Broker;
using Kim.ServiceDefaults.Messaging;
using Kim.Testing;
using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Xunit.Abstractions;

namespace Kim.CaseService.FunctionalTests;

/// <summary>A private node that speaks AMQP over TLS only and requires a client certificate of the municipal CA.</summary>
public sealed class TlsBrokerFixture : IAsyncLifetime
{
    private LocalRabbitMqNode? node;

    public TestCertificates Certificates { get; } = TestCertificates.Create();

    /// <summary>The node's amqps URI (user guest, virtual host <c>/</c>).</summary>
    public Uri AmqpsUri => node!.Endpoint.AmqpUri;

    /// <summary>The protocols the node listens with (<c>amqp</c>, <c>amqp/ssl</c>, <c>http</c>), from its management API.</summary>
    public async Task<IReadOnlyList<string>> ListenerProtocolsAsync()
    {
        var management = node!.Endpoint.ManagementUri;
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Uri.UnescapeDataString(management.UserInfo))));
        using var overview = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri(management, "/api/overview")));
        return overview.RootElement.GetProperty("listeners").EnumerateArray().Select(listener => listener.GetProperty("protocol").GetString() ?? "").ToList();
    }

    public async Task InitializeAsync()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var settings = RabbitMqNodeSettings.Create(Path.Combine(Path.GetTempPath(), "kim-test-tls-broker-" + id), "kimtls" + id) with
        {
            Tls = new RabbitMqTlsListener(Certificates.CaFile, Certificates.ServerCertificateFile, Certificates.ServerKeyFile, RequireClientCertificate: true),
        };
        node = await LocalRabbitMqNode.StartAsync(settings, fresh: true, ownsPortMapper: true, TimeSpan.FromSeconds(90));
    }

    /// <summary>A connection as a service would build it from its configuration.</summary>
    public BrokerConnection Connection(string scheme = "amqps", BrokerTls? tls = null) =>
        new(new UriBuilder(AmqpsUri) { Scheme = scheme }.Uri) { Tls = tls ?? Municipal() };

    /// <summary>The settings a carrier's CaseService gets: the municipal CA and its client certificate.</summary>
    public BrokerTls Municipal(string? caFile = null, string? serverName = null, bool clientCertificate = true) => new(
        caFile ?? Certificates.CaFile,
        clientCertificate ? Certificates.ClientCertificateFile : null,
        clientCertificate ? Certificates.ClientKeyFile : null,
        serverName);

    public async Task DisposeAsync()
    {
        if (node is not null)
        {
            await node.DisposeAsync();
        }

        Certificates.Dispose();
    }
}

/// <summary>
/// Social data travel between sites only encrypted: a carrier's CaseService reaches the broker over amqps, checks the
/// broker's certificate against the municipal CA (never any certificate) and shows its own; everything else fails closed.
/// </summary>
public sealed class BrokerTlsTests(TlsBrokerFixture broker, ITestOutputHelper output) : IClassFixture<TlsBrokerFixture>
{
    private static async Task<HealthCheckResult> ProbeAsync(BrokerConnection connection) =>
        await new BrokerHealthCheck(connection, TimeProvider.System).CheckHealthAsync(new HealthCheckContext());

    private async Task AssertRefusedAsync(BrokerConnection connection, string what)
    {
        var result = await ProbeAsync(connection);
        output.WriteLine($"{what}: {result.Status} ({result.Description})");
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
    }

    [Fact]
    public async Task A_plain_amqp_connection_to_the_tls_only_node_is_refused()
    {
        await AssertRefusedAsync(new BrokerConnection(new UriBuilder(broker.AmqpsUri) { Scheme = "amqp" }.Uri), "plain amqp");

        var protocols = await broker.ListenerProtocolsAsync();
        output.WriteLine("listeners: " + string.Join(", ", protocols));
        Assert.Contains("amqp/ssl", protocols);
        Assert.DoesNotContain("amqp", protocols);
    }

    [Fact]
    public async Task Amqps_with_the_municipal_ca_and_client_certificate_is_healthy_also_with_a_bundle_of_old_and_new_ca()
    {
        var result = await ProbeAsync(broker.Connection());
        output.WriteLine($"municipal CA: {result.Status} ({result.Description})");
        Assert.Equal(HealthStatus.Healthy, result.Status);

        var rotated = await ProbeAsync(broker.Connection(tls: broker.Municipal(caFile: broker.Certificates.BothCasFile)));
        output.WriteLine($"bundle of two CAs: {rotated.Status}");
        Assert.Equal(HealthStatus.Healthy, rotated.Status);
    }

    [Fact]
    public async Task A_broker_certificate_the_configured_ca_did_not_issue_fails_closed()
    {
        await AssertRefusedAsync(broker.Connection(tls: broker.Municipal(caFile: broker.Certificates.ForeignCaFile)), "foreign CA");
    }

    [Fact]
    public async Task Without_a_ca_file_the_system_store_decides_and_a_private_ca_fails_closed()
    {
        await AssertRefusedAsync(broker.Connection(tls: new BrokerTls(null, broker.Certificates.ClientCertificateFile, broker.Certificates.ClientKeyFile)), "no CA file");
    }

    [Fact]
    public async Task A_broker_certificate_for_another_name_fails_closed()
    {
        await AssertRefusedAsync(broker.Connection(tls: broker.Municipal(serverName: "broker.elsewhere.example")), "other server name");
    }

    [Fact]
    public async Task The_node_refuses_a_client_without_a_client_certificate()
    {
        await AssertRefusedAsync(broker.Connection(tls: broker.Municipal(clientCertificate: false)), "no client certificate");
    }

    [Fact]
    public async Task The_bus_publishes_and_consumes_over_amqps_on_a_port_other_than_5671()
    {
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var bus = CreateBus(broker.Connection(), received);
        using var start = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await bus.StartAsync(start.Token);
        try
        {
            await bus.Publish(new TlsPing { Text = "über TLS" });
            Assert.Equal("über TLS", await received.Task.WaitAsync(TimeSpan.FromSeconds(60)));
            output.WriteLine($"consumed over amqps on port {broker.AmqpsUri.Port}");
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    [Fact]
    public async Task The_bus_does_not_connect_to_a_broker_whose_certificate_a_foreign_ca_issued()
    {
        // MassTransit alone would accept any certificate chain; the bus must not start against a broker it cannot trust.
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var bus = CreateBus(broker.Connection(tls: broker.Municipal(caFile: broker.Certificates.ForeignCaFile)), received);
        using var start = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var refused = await Record.ExceptionAsync(() => bus.StartAsync(start.Token));
        output.WriteLine($"bus start with a foreign CA: {refused?.GetType().Name ?? "started"}");
        try
        {
            Assert.NotNull(refused);
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    private static IBusControl CreateBus(BrokerConnection connection, TaskCompletionSource<string> received) =>
        Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            connection.ConfigureHost(rabbit);
            rabbit.ReceiveEndpoint("tls-ping-" + Guid.NewGuid().ToString("N")[..8], endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                endpoint.Handler<TlsPing>(context =>
                {
                    received.TrySetResult(context.Message.Text);
                    return Task.CompletedTask;
                });
            });
        });
}

public sealed record TlsPing
{
    public string Text { get; init; } = "";
}
