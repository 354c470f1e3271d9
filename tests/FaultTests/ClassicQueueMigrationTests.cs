using System.Net.Http.Json;
using System.Text.Json;
using Kim.Hosting.Broker;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Kim.FaultTests;

/// <summary>
/// A development broker from an older start holds classic queues with the names the services now declare as quorum
/// queues: AppHost deletes the empty ones before the services start and keeps those with messages.
/// </summary>
public sealed class ClassicQueueMigrationTests
{
    private static readonly Dictionary<string, object?> Quorum = new() { ["x-queue-type"] = "quorum" };

    [Fact]
    public async Task Empty_classic_queues_are_deleted_so_the_quorum_declaration_succeeds_and_queues_with_messages_are_kept()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        await using var node = await LocalRabbitMqNode.StartAsync(Path.Combine(Path.GetTempPath(), "kim-migration-broker-" + id), "kimmig" + id, fresh: true, TimeSpan.FromSeconds(90));
        await using var connection = await new ConnectionFactory { Uri = node.Endpoint.AmqpUri }.CreateConnectionAsync();
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync("reportingservice-case-opened-handler", durable: true, exclusive: false, autoDelete: false);
            await channel.QueueDeclareAsync("reportingservice-case-opened-handler_error", durable: true, exclusive: false, autoDelete: false);
            await channel.BasicPublishAsync("", "reportingservice-case-opened-handler_error", mandatory: true, new BasicProperties { Persistent = true }, "failed"u8.ToArray());
            await channel.QueueDeclareAsync("networkservice-already-quorum", durable: true, exclusive: false, autoDelete: false, Quorum);
            await channel.QueueDeclareAsync("some-host_bus_abc", durable: false, exclusive: false, autoDelete: true);

            // What a service of this version meets on that broker.
            var refused = await Assert.ThrowsAsync<OperationInterruptedException>(() =>
                channel.QueueDeclareAsync("reportingservice-case-opened-handler", durable: true, exclusive: false, autoDelete: false, Quorum));
            Assert.Contains("PRECONDITION_FAILED", refused.Message, StringComparison.Ordinal);
        }

        var report = await ClassicQueueMigration.DeleteEmptyClassicQueuesAsync(node.Endpoint, "/", CancellationToken.None);

        Assert.Equal(["reportingservice-case-opened-handler"], report.Deleted);
        Assert.Equal("reportingservice-case-opened-handler_error", Assert.Single(report.Kept).Queue);
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync("reportingservice-case-opened-handler", durable: true, exclusive: false, autoDelete: false, Quorum);
        }

        using var http = node.Endpoint.ManagementHttpClient();
        var queues = (await http.GetFromJsonAsync<JsonElement>("api/queues/%2F")).EnumerateArray()
            .ToDictionary(q => q.GetProperty("name").GetString()!, q => q.GetProperty("type").GetString());
        Assert.Equal("quorum", queues["reportingservice-case-opened-handler"]);
        Assert.Equal("classic", queues["reportingservice-case-opened-handler_error"]);
        Assert.Equal("quorum", queues["networkservice-already-quorum"]);
        Assert.True(queues.ContainsKey("some-host_bus_abc"));
    }
}
