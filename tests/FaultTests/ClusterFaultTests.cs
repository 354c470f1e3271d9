using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kim.Hosting.Broker;
using Kim.Testing;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace Kim.FaultTests;

/// <summary>
/// A broker cluster of three local nodes and one platform on it, for the tests of <see cref="ClusterFaultTests"/>: the
/// services connect to the first node and know the other two. Started once for the class.
/// </summary>
public sealed class BrokerClusterFixture : IAsyncLifetime
{
    public LocalRabbitMqCluster Cluster { get; private set; } = null!;

    public FaultPlatform Platform { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        Cluster = await LocalRabbitMqCluster.StartAsync(Path.Combine(Path.GetTempPath(), "kim-cluster-" + id), "kimc" + id + "n", TimeSpan.FromSeconds(120));
        Platform = await FaultPlatform.StartAsync(Cluster, "cluster");
    }

    public async Task DisposeAsync()
    {
        if (Platform is not null)
        {
            await Platform.DisposeAsync();
        }

        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}

/// <summary>
/// Losing one node of a three-node cluster, during a stream of writes: every accepted write reaches ReportingService
/// exactly once, and the consumers move to another node and keep consuming while the node is away, without any
/// service being restarted. Each test prints the Jepsen-style figures. In the fault collection, so it never runs beside
/// the single-node fault tests' platform: two platforms and four broker nodes at once would starve two cores.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class ClusterFaultTests(BrokerClusterFixture fixture, ITestOutputHelper output) : IClassFixture<BrokerClusterFixture>
{
    private const string ReportingQueue = "reportingservice-case-opened-handler";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan NodeStart = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(30);

    private LocalRabbitMqCluster Cluster => fixture.Cluster;

    private FaultPlatform Platform => fixture.Platform;

    [Fact]
    public async Task A_node_killed_during_a_stream_of_writes_loses_nothing_and_consumers_carry_on()
    {
        var watch = Stopwatch.StartNew();
        await Cluster.WaitUntilFormedAsync(NodeStart);
        // The node every service connected to first: all of them lose their connection.
        var victim = Cluster.Nodes[0];
        var figures = await LoseNodeDuringStreamAsync("caritas", victim, () => victim.KillAsync());
        FaultFigures.Report(output, $"cluster node killed (SIGKILL) and restarted", figures, watch.Elapsed);
    }

    [Fact]
    public async Task The_node_leading_the_queue_stopped_during_a_stream_of_writes_loses_nothing()
    {
        var watch = Stopwatch.StartNew();
        await Cluster.WaitUntilFormedAsync(NodeStart);
        var leaderName = (await QueueAsync(ReportingQueue)).GetProperty("leader").GetString()!;
        var leader = Cluster.Node(leaderName);
        var figures = await LoseNodeDuringStreamAsync("kommune", leader, () => leader.StopAsync());
        var newLeader = (await QueueAsync(ReportingQueue)).GetProperty("leader").GetString();
        output.WriteLine($"leader of {ReportingQueue}: {leaderName} stopped, {newLeader} led while it was away");
        FaultFigures.Report(output, "cluster node leading the queues stopped and restarted", figures, watch.Elapsed);
    }

    [Fact]
    public async Task Every_durable_queue_of_the_platform_is_a_quorum_queue_error_and_skipped_queues_too()
    {
        await Cluster.WaitUntilFormedAsync(NodeStart);

        // A message no consumer of the queue handles goes to its _skipped queue, one that cannot be read to its _error queue.
        await SendRawAsync(ReportingQueue, new { messageId = Guid.NewGuid(), messageType = new[] { "urn:message:Kim.Contracts.Cases:NoSuchEvent" }, message = new { } });
        await SendRawAsync(ReportingQueue, new { messageId = Guid.NewGuid(), messageType = new[] { "urn:message:Kim.Contracts.Cases:CaseOpened" }, message = new { tenantId = "kommune" } });
        await Eventually.TrueAsync(async () => (await QueuesAsync()).Any(q => q.Name == ReportingQueue + "_skipped"), "the _skipped queue declared", TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(async () => (await QueuesAsync()).Any(q => q.Name == ReportingQueue + "_error"), "the _error queue declared", TimeSpan.FromSeconds(60));

        var durable = (await QueuesAsync()).Where(q => q.Durable).ToList();
        foreach (var queue in durable)
        {
            output.WriteLine($"{queue.Name}: {queue.Type}, {queue.Members} members");
        }

        Assert.Contains(durable, q => q.Name == ReportingQueue);
        Assert.All(durable, q => Assert.Equal("quorum", q.Type));
        Assert.All(durable, q => Assert.Equal(Cluster.Nodes.Count, q.Members));
    }

    /// <summary>
    /// Writes cases of <paramref name="tenant"/>, loses <paramref name="node"/>, writes on and waits until everything accepted so
    /// far is applied while the node is still away, starts it again, writes on, and counts.
    /// </summary>
    private async Task<DeliveryFigures> LoseNodeDuringStreamAsync(string tenant, LocalRabbitMqNode node, Func<Task> lose)
    {
        var check = new DeliveryCheck(Platform, tenant);
        using var client = Platform.GatewayClient(tenant);

        using (var stop = new CancellationTokenSource())
        {
            var stream = check.StreamAsync(client, stop.Token, Pause);
            await Eventually.TrueAsync(() => Task.FromResult(check.Accepted >= 60), "writes before the node is lost");
            await lose();
            var acceptedAtLoss = check.Accepted;
            await Eventually.TrueAsync(() => Task.FromResult(check.Accepted >= acceptedAtLoss + 100), "writes while the node is away", TimeSpan.FromSeconds(60));
            await stop.CancelAsync();
            await stream;
        }

        // Consumers on the remaining nodes: everything accepted so far arrives before the lost node returns.
        var whileAway = await check.SettleAsync(Settle);
        output.WriteLine($"while {node.Settings.FullNodeName} was away: {whileAway}");
        Assert.False(node.IsRunning);
        Assert.Equal(0, whileAway.Lost);

        await node.StartAgainAsync(NodeStart);
        await Cluster.WaitUntilFormedAsync(NodeStart);
        using (var stop = new CancellationTokenSource())
        {
            var stream = check.StreamAsync(client, stop.Token, Pause);
            var acceptedAtReturn = check.Accepted;
            await Eventually.TrueAsync(() => Task.FromResult(check.Accepted >= acceptedAtReturn + 60), "writes after the node returned");
            await stop.CancelAsync();
            await stream;
        }

        var figures = await check.SettleAsync(Settle);
        Assert.True(figures.Accepted >= 220, figures.ToString());
        Assert.Equal(0, figures.Lost);
        Assert.Equal(0, figures.AppliedTwice);
        Assert.Equal(figures.Accepted, figures.Delivered);
        Assert.Equal(0, figures.Unexpected);

        // Still consuming from the queue, on the same processes.
        Assert.True((await QueueAsync(ReportingQueue)).GetProperty("consumers").GetInt32() > 0, "ReportingService consumes from its queue");
        return figures;
    }

    private async Task<JsonElement> QueueAsync(string name)
    {
        using var http = Cluster.Endpoint.ManagementHttpClient();
        return await http.GetFromJsonAsync<JsonElement>($"api/queues/{Uri.EscapeDataString(Platform.VirtualHost)}/{Uri.EscapeDataString(name)}");
    }

    private sealed record QueueSummary(string Name, bool Durable, string Type, int Members);

    private async Task<List<QueueSummary>> QueuesAsync()
    {
        using var http = Cluster.Endpoint.ManagementHttpClient();
        var queues = await http.GetFromJsonAsync<JsonElement>($"api/queues/{Uri.EscapeDataString(Platform.VirtualHost)}");
        return queues.EnumerateArray().Select(q => new QueueSummary(
            q.GetProperty("name").GetString()!,
            q.GetProperty("durable").GetBoolean(),
            q.GetProperty("type").GetString()!,
            q.TryGetProperty("members", out var members) ? members.GetArrayLength() : 1)).ToList();
    }

    private async Task SendRawAsync(string queue, object envelope)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(Platform.MessagingUri) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true, MessageId = Guid.NewGuid().ToString() };
        await channel.BasicPublishAsync("", queue, mandatory: true, properties, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(envelope)));
    }
}
