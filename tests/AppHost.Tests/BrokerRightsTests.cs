using Kim.Hosting.Broker;
using Kim.ServiceDefaults;
using Kim.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Xunit.Abstractions;

namespace Kim.AppHost.Tests;

/// <summary>With a real broker: the credentials AppHost gives tenant <c>caritas</c> cannot reach another tenant's queues or the case-event exchanges.</summary>
public sealed class BrokerRightsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string CaseOpened = "Kim.Contracts.Cases:CaseOpened";
    private const string ChainAdopted = "Kim.Contracts.Network:ServiceChainAdopted";
    private const string SnapshotRequested = "Kim.Contracts.Network.Requests:NetworkSnapshotRequested";
    private const string SnapshotPublished = "Kim.Contracts.Network:NetworkSnapshotPublished";
    private readonly RabbitMqFixture broker = new();
    private string virtualHost = "";
    private IConnection admin = null!;
    private IConnection caritas = null!;

    public async Task InitializeAsync()
    {
        await broker.InitializeAsync();
        var adminUri = new Uri(await broker.CreateVirtualHostAsync("rights"));
        virtualHost = Uri.UnescapeDataString(adminUri.AbsolutePath.TrimStart('/'));
        admin = await new ConnectionFactory { Uri = adminUri }.CreateConnectionAsync();
        await using (var setup = await admin.CreateChannelAsync())
        {
            // What the platform's services declare: the case-event exchange, a network broadcast exchange, queues of two tenants and of ReportingService.
            await setup.ExchangeDeclareAsync(CaseOpened, ExchangeType.Fanout, durable: true);
            await setup.ExchangeDeclareAsync(ChainAdopted, ExchangeType.Fanout, durable: true);
            await setup.ExchangeDeclareAsync(SnapshotRequested, ExchangeType.Fanout, durable: true);
            await setup.ExchangeDeclareAsync(SnapshotPublished, ExchangeType.Fanout, durable: true);
            foreach (var queue in new[] { "caseservice-kommune-referral-issued-handler", "reportingservice-case-opened-handler" })
            {
                await setup.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
            }

            await setup.QueueBindAsync("reportingservice-case-opened-handler", CaseOpened, "");

            // Each tenant's referral exchange and the queue its CaseService binds to it.
            await setup.ExchangeDeclareAsync("kim.referrals.kommune", ExchangeType.Fanout, durable: true);
            await setup.ExchangeDeclareAsync("kim.referrals.caritas", ExchangeType.Fanout, durable: true);
            await setup.QueueDeclareAsync("caseservice-kommune-referrals", durable: true, exclusive: false, autoDelete: false);
            await setup.QueueBindAsync("caseservice-kommune-referrals", "kim.referrals.kommune", "");
        }

        var caritasUri = await BrokerAccess.ProvisionAsync(broker.Endpoint, virtualHost, ResourceNames.CaseService("caritas"), "caritas-" + Guid.NewGuid().ToString("N"));
        caritas = await new ConnectionFactory { Uri = caritasUri }.CreateConnectionAsync();
    }

    private Task<bool> AllowedAsync(string what, Func<IChannel, Task> operation) => AllowedAsync(caritas, what, operation);

    private async Task<bool> AllowedAsync(IConnection connection, string what, Func<IChannel, Task> operation)
    {
        // With publisher confirms, a refused publish fails the publish itself (else the broker closes the channel later).
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        try
        {
            await operation(channel);
            output.WriteLine($"allowed: {what}");
            return true;
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 403)
        {
            output.WriteLine($"ACCESS_REFUSED: {what}");
            return false;
        }
    }

    [Fact]
    public async Task Caritas_may_publish_case_events_and_use_its_own_queues_and_the_network_broadcasts()
    {
        Assert.True(await AllowedAsync("declare own queue", c => c.QueueDeclareAsync("caseservice-caritas-service-chain-adopted-handler", true, false, false)));
        Assert.True(await AllowedAsync("bind own queue to a network broadcast", c => c.QueueBindAsync("caseservice-caritas-service-chain-adopted-handler", ChainAdopted, "")));
        Assert.True(await AllowedAsync("publish a case event", async c =>
        {
            await c.ExchangeDeclareAsync(CaseOpened, ExchangeType.Fanout, durable: true);
            await c.BasicPublishAsync(CaseOpened, "", new ReadOnlyMemory<byte>("{}"u8.ToArray()));
        }));
        Assert.True(await AllowedAsync("consume own queue", c => c.BasicGetAsync("caseservice-caritas-service-chain-adopted-handler", autoAck: true)));
    }

    [Fact]
    public async Task Caritas_cannot_consume_or_bind_another_tenants_queue_nor_bind_to_case_event_exchanges()
    {
        Assert.False(await AllowedAsync("consume kommune's queue", c => c.BasicConsumeAsync("caseservice-kommune-referral-issued-handler", true, new AsyncEventingBasicConsumer(c))));
        Assert.False(await AllowedAsync("get from kommune's queue", c => c.BasicGetAsync("caseservice-kommune-referral-issued-handler", autoAck: true)));
        Assert.False(await AllowedAsync("consume ReportingService's queue", c => c.BasicGetAsync("reportingservice-case-opened-handler", autoAck: true)));
        Assert.False(await AllowedAsync("bind kommune's queue to a network broadcast", c => c.QueueBindAsync("caseservice-kommune-referral-issued-handler", ChainAdopted, "")));
        Assert.False(await AllowedAsync("declare a queue in kommune's name", c => c.QueueDeclareAsync("caseservice-kommune-spy", true, false, false)));
        Assert.True(await AllowedAsync("declare own queue", c => c.QueueDeclareAsync("caseservice-caritas-spy", true, false, false)));
        Assert.False(await AllowedAsync("bind own queue to the case-event exchange", c => c.QueueBindAsync("caseservice-caritas-spy", CaseOpened, "")));
        Assert.False(await AllowedAsync("delete kommune's queue", c => c.QueueDeleteAsync("caseservice-kommune-referral-issued-handler")));
    }

    [Fact]
    public async Task Caritas_may_send_a_referral_to_kommune_but_read_only_its_own_referral_exchange()
    {
        Assert.True(await AllowedAsync("send to kommune's referral exchange", async c =>
        {
            await c.ExchangeDeclareAsync("kim.referrals.kommune", ExchangeType.Fanout, durable: true);
            await c.BasicPublishAsync("kim.referrals.kommune", "", new ReadOnlyMemory<byte>("{}"u8.ToArray()));
        }));
        await using (var check = await admin.CreateChannelAsync())
        {
            await Eventually.TrueAsync(async () => await check.MessageCountAsync("caseservice-kommune-referrals") == 1, "the referral to reach kommune's queue");
        }

        Assert.True(await AllowedAsync("declare own referral queue", c => c.QueueDeclareAsync("caseservice-caritas-referrals", true, false, false)));
        Assert.True(await AllowedAsync("bind own queue to own referral exchange", c => c.QueueBindAsync("caseservice-caritas-referrals", "kim.referrals.caritas", "")));
        Assert.False(await AllowedAsync("bind own queue to kommune's referral exchange", c => c.QueueBindAsync("caseservice-caritas-referrals", "kim.referrals.kommune", "")));
        Assert.False(await AllowedAsync("read kommune's referral queue", c => c.BasicGetAsync("caseservice-kommune-referrals", autoAck: true)));
        Assert.False(await AllowedAsync("declare a queue named as kommune's referral exchange and bind it", async c =>
        {
            await c.QueueDeclareAsync("kim.referrals.kommune", true, false, false);
            await c.QueueBindAsync("kim.referrals.kommune", "kim.referrals.kommune", "");
        }));
    }

    [Fact]
    public async Task Only_a_CaseService_may_request_a_network_snapshot_and_only_NetworkService_may_read_the_request()
    {
        Assert.True(await AllowedAsync("publish a snapshot request", async c =>
        {
            await c.ExchangeDeclareAsync(SnapshotRequested, ExchangeType.Fanout, durable: true);
            await c.BasicPublishAsync(SnapshotRequested, "", new ReadOnlyMemory<byte>("{}"u8.ToArray()));
        }));
        Assert.True(await AllowedAsync("declare own queue", c => c.QueueDeclareAsync("caseservice-caritas-requests", true, false, false)));
        Assert.False(await AllowedAsync("bind own queue to the snapshot requests (read other tenants' requests)", c => c.QueueBindAsync("caseservice-caritas-requests", SnapshotRequested, "")));
        Assert.True(await AllowedAsync("bind own queue to the snapshots", c => c.QueueBindAsync("caseservice-caritas-requests", SnapshotPublished, "")));
        Assert.False(await AllowedAsync("publish a snapshot (forge NetworkService's answer)", c => c.BasicPublishAsync(SnapshotPublished, "", new ReadOnlyMemory<byte>("{}"u8.ToArray())).AsTask()));

        await using var network = await ConnectAsync(ResourceNames.NetworkService);
        Assert.True(await AllowedAsync(network, "networkservice: bind own queue to the snapshot requests", async c =>
        {
            await c.QueueDeclareAsync("networkservice-network-snapshot-requested-handler", true, false, false);
            await c.QueueBindAsync("networkservice-network-snapshot-requested-handler", SnapshotRequested, "");
        }));
        Assert.True(await AllowedAsync(network, "networkservice: publish a snapshot", c => c.BasicPublishAsync(SnapshotPublished, "", new ReadOnlyMemory<byte>("{}"u8.ToArray())).AsTask()));
        Assert.False(await AllowedAsync(network, "networkservice: publish a snapshot request", c => c.BasicPublishAsync(SnapshotRequested, "", new ReadOnlyMemory<byte>("{}"u8.ToArray())).AsTask()));

        await using var reporting = await ConnectAsync(ResourceNames.ReportingService);
        Assert.False(await AllowedAsync(reporting, "reportingservice: bind own queue to the snapshot requests", async c =>
        {
            await c.QueueDeclareAsync("reportingservice-snapshot-spy", true, false, false);
            await c.QueueBindAsync("reportingservice-snapshot-spy", SnapshotRequested, "");
        }));
    }

    private async Task<IConnection> ConnectAsync(string resource)
    {
        var uri = await BrokerAccess.ProvisionAsync(broker.Endpoint, virtualHost, resource, resource + "-" + Guid.NewGuid().ToString("N"));
        return await new ConnectionFactory { Uri = uri }.CreateConnectionAsync();
    }

    public async Task DisposeAsync()
    {
        await caritas.DisposeAsync();
        await admin.DisposeAsync();
        await broker.DisposeAsync();
    }
}
