using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Kim.ServiceDefaults.Messaging;

/// <summary>
/// Base of every consumer: applies a message at most once per consumer. The handler's changes and the inbox
/// row commit in one transaction; the broker's ack follows the commit, so a crash before it redelivers and
/// the inbox skips what was already applied.
/// </summary>
public abstract class IdempotentConsumer<TMessage, TContext>(TContext db, TimeProvider clock, ILogger logger) : IConsumer<TMessage>
    where TMessage : class
    where TContext : DbContext, IMessagingDbContext
{
    private static readonly Meter Meter = new(Extensions.MeterName);
    private static readonly Counter<long> Duplicates = Meter.CreateCounter<long>("kim.inbox.duplicates", description: "Redelivered messages skipped by the inbox");
    private static readonly Histogram<double> Lag = Meter.CreateHistogram<double>("kim.consumer.lag", "s", "Time from event to its application");

    protected TContext Db => db;

    /// <summary>The name under which the inbox records what this consumer applied.</summary>
    protected virtual string ConsumerName => GetType().Name;

    protected TimeProvider Clock => clock;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId ?? throw new InvalidOperationException("Message without MessageId.");
        var consumer = ConsumerName;
        if (await db.InboxMessages.AnyAsync(m => m.MessageId == messageId && m.Consumer == consumer, context.CancellationToken))
        {
            Duplicates.Add(1, new KeyValuePair<string, object?>("consumer", consumer));
            logger.LogInformation("Message {MessageId} already applied by {Consumer}; skipped", messageId, consumer);
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(context.CancellationToken);
        await HandleAsync(context.Message, context);
        var now = clock.GetUtcNow().UtcDateTime;
        db.InboxMessages.Add(new InboxMessage { MessageId = messageId, Consumer = consumer, ReceivedAt = now });
        await db.SaveChangesAsync(context.CancellationToken);
        await transaction.CommitAsync(context.CancellationToken);

        if (context.SentTime is { } sent)
        {
            Lag.Record((now - sent).TotalSeconds, new KeyValuePair<string, object?>("consumer", consumer));
        }
    }

    /// <summary>Applies the message to <see cref="Db"/> without saving; the base class saves with the inbox row.</summary>
    protected abstract Task HandleAsync(TMessage message, ConsumeContext<TMessage> context);
}
