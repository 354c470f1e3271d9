using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kim.Hosting.Broker;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Messaging;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Kim.FaultTests;

/// <summary>Messages that keep failing end in their <c>_error</c> queue, operators see the depth, and the requeue command redelivers them.</summary>
[Collection(FaultCollection.Name)]
public sealed class ErrorQueueTests(BrokerNodeFixture broker)
{
    private const string CaseOpenedExchange = "Kim.Contracts.Cases:CaseOpened";
    private const string ReportingQueue = "reportingservice-case-opened-handler";

    /// <summary>An error queue has its queue's type (quorum): declared otherwise, the broker refuses the declaration, or MassTransit's later.</summary>
    private static readonly Dictionary<string, object?> ErrorQueueArguments = new() { ["x-queue-type"] = "quorum" };

    private static byte[] Envelope(Guid messageId, object message) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        messageId,
        messageType = new[] { "urn:message:Kim.Contracts.Cases:CaseOpened" },
        message,
    });

    private static async Task PublishRawAsync(string amqpUri, string exchange, string routingKey, byte[] body, Dictionary<string, object?>? headers = null)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(amqpUri) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true, MessageId = Guid.NewGuid().ToString(), Headers = headers };
        await channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, body);
    }

    private static async Task<JsonElement> QueuesAsync(FaultPlatform platform)
    {
        using var client = new HttpClient { BaseAddress = platform.Runner.GatewayUrl }
            .WithToken(platform.Runner.DevSigningKey, "kommune", KimRoles.Operator, "ops");
        return await client.GetFromJsonAsync<JsonElement>("/api/reports/operations/queues");
    }

    private static long ErrorDepth(JsonElement queues) =>
        queues.GetProperty("errorQueues").EnumerateArray()
            .Where(q => q.GetProperty("name").GetString() == ReportingQueue + "_error")
            .Select(q => q.GetProperty("messages").GetInt64())
            .FirstOrDefault();

    [Fact]
    public async Task A_poison_message_ends_in_the_error_queue_with_its_exception_and_operators_see_the_depth()
    {
        var platform = await broker.SharedPlatformAsync();
        await using var connection = await new ConnectionFactory { Uri = new Uri(platform.MessagingUri) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();

        // The platform is shared: the error queue starts empty, as operators see it.
        await channel.QueueDeclareAsync(ReportingQueue + "_error", durable: true, exclusive: false, autoDelete: false, ErrorQueueArguments);
        await channel.QueuePurgeAsync(ReportingQueue + "_error");
        await Eventually.TrueAsync(async () => ErrorDepth(await QueuesAsync(platform)) == 0, "an empty error queue");

        // CaseOpened without its required fields cannot be read: retried, then moved to the error queue.
        await PublishRawAsync(platform.MessagingUri, CaseOpenedExchange, "", Envelope(Guid.NewGuid(), new { tenantId = "kommune" }));

        await Eventually.TrueAsync(async () => ErrorDepth(await QueuesAsync(platform)) == 1, "the poison message in the error queue", TimeSpan.FromSeconds(60));
        var faulted = await channel.BasicGetAsync(ReportingQueue + "_error", autoAck: false);
        Assert.NotNull(faulted);
        var headers = faulted.BasicProperties.Headers!;
        Assert.True(headers.ContainsKey("MT-Fault-ExceptionType"), string.Join(", ", headers.Keys));

        // Taken away: the other tests share the platform and its error queue.
        await channel.BasicAckAsync(faulted.DeliveryTag, multiple: false);
    }

    [Theory]
    [InlineData("cli")]
    [InlineData("dashboard")]
    public async Task Requeue_moves_messages_back_and_the_consumer_applies_them_once(string way)
    {
        var platform = await broker.SharedPlatformAsync();
        var check = new DeliveryCheck(platform, "caritas");
        using var client = platform.GatewayClient("caritas");
        var openBefore = await FaultPlatform.OpenCasesAsync(client, "caritas");
        var errorQueue = ReportingQueue + "_error";
        await using (var connection = await new ConnectionFactory { Uri = new Uri(platform.MessagingUri) }.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            // The platform is shared: whatever an earlier test left in any error queue goes first (the dashboard moves them all).
            await channel.QueueDeclareAsync(errorQueue, durable: true, exclusive: false, autoDelete: false, ErrorQueueArguments);
            using var management = new RabbitMqManagementClient(broker.Node.Endpoint.ManagementUri);
            foreach (var queue in (await management.QueuesAsync(platform.VirtualHost)).Where(q => q.Name.EndsWith(ErrorQueueMover.ErrorSuffix, StringComparison.Ordinal)))
            {
                await channel.QueuePurgeAsync(queue.Name);
            }
        }

        // Events that failed during an outage of the cause (now fixed) wait in the error queue with fault headers.
        var caseKeys = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid().ToString("N")[..22]).ToList();
        foreach (var caseKey in caseKeys)
        {
            var message = new { tenantId = "caritas", caseKey, ageBand = "27-44", residenceCategory = "Unknown", accessRoute = "Unknown", occurredAt = DateTime.UtcNow, schemaVersion = 1 };
            await PublishRawAsync(platform.MessagingUri, "", errorQueue, Envelope(Guid.NewGuid(), message),
                new Dictionary<string, object?> { ["MT-Fault-ExceptionType"] = "System.TimeoutException", ["MT-Reason"] = "fault" });
        }

        await Eventually.TrueAsync(async () => ErrorDepth(await QueuesAsync(platform)) == 3, "three messages in the error queue");

        // The CLI's requeue moves one queue; the dashboard's command on the broker resource moves every error queue.
        var moved = way == "cli"
            ? await ErrorQueueMover.MoveAsync(new Uri(platform.MessagingUri), errorQueue, null, null, CancellationToken.None)
            : await Kim.AppHost.Messaging.ErrorQueueCommand.MoveAllAsync(broker.Node.Endpoint, platform.VirtualHost, CancellationToken.None);

        Assert.Equal(3, moved);
        await Eventually.TrueAsync(async () => ErrorDepth(await QueuesAsync(platform)) == 0, "an empty error queue");
        await Eventually.TrueAsync(async () => await FaultPlatform.OpenCasesAsync(client, "caritas") == openBefore + 3, "the three redelivered events applied");
        var figures = await check.SettleAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(3, figures.Unexpected + figures.Recovered);
        Assert.Equal(0, figures.AppliedTwice);
    }

    [Fact]
    public async Task Requeue_refuses_a_queue_that_is_not_an_error_queue_and_a_missing_target()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            ErrorQueueMover.MoveAsync(broker.Node.Endpoint.AmqpUri, ReportingQueue, null, null, CancellationToken.None));
        // The broker answers the passive declare with 404 NOT_FOUND (not a connection failure).
        var missing = await Assert.ThrowsAsync<OperationInterruptedException>(() =>
            ErrorQueueMover.MoveAsync(broker.Node.Endpoint.AmqpUri, "no-such-queue_error", null, null, CancellationToken.None));
        Assert.Equal((ushort)404, missing.ShutdownReason?.ReplyCode);
    }
}
