using RabbitMQ.Client;

namespace Kim.Hosting.Broker;

/// <summary>
/// Moves messages from an error queue (<c>&lt;queue&gt;_error</c>) back to the queue they failed in, for
/// redelivery after the cause is fixed. Each message is re-published with its body and properties (the
/// fault headers MassTransit added are dropped), confirmed by the broker, and only then removed from the
/// error queue: a crash mid-way duplicates at most one message, which the consumer's inbox absorbs.
/// </summary>
public static class ErrorQueueMover
{
    public const string ErrorSuffix = "_error";

    public static async Task<int> MoveAsync(Uri amqpUri, string errorQueue, string? targetQueue, int? maxMessages, CancellationToken cancellationToken)
    {
        if (!errorQueue.EndsWith(ErrorSuffix, StringComparison.Ordinal) && targetQueue is null)
        {
            throw new ArgumentException($"'{errorQueue}' is not an error queue (*{ErrorSuffix}); name the target queue with --to.");
        }

        var target = targetQueue ?? errorQueue[..^ErrorSuffix.Length];
        var factory = new ConnectionFactory { Uri = amqpUri, ClientProvidedName = "kim-requeue" };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);

        // Both queues must exist: a passive declare fails (404) instead of creating a queue nobody reads.
        await channel.QueueDeclarePassiveAsync(errorQueue, cancellationToken);
        await channel.QueueDeclarePassiveAsync(target, cancellationToken);

        var moved = 0;
        while (maxMessages is null || moved < maxMessages)
        {
            var message = await channel.BasicGetAsync(errorQueue, autoAck: false, cancellationToken);
            if (message is null)
            {
                break;
            }

            var properties = new BasicProperties(message.BasicProperties)
            {
                Headers = message.BasicProperties.Headers?
                    .Where(h => !h.Key.StartsWith("MT-Fault", StringComparison.Ordinal) && !h.Key.StartsWith("MT-Reason", StringComparison.Ordinal))
                    .ToDictionary(h => h.Key, h => h.Value),
            };
            await channel.BasicPublishAsync("", target, mandatory: true, properties, message.Body, cancellationToken);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
            moved++;
        }

        return moved;
    }
}
