using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Kim.ServiceDefaults.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kim.ServiceDefaults.Messaging;

/// <summary>Section <c>Messaging:Outbox</c>.</summary>
public sealed class OutboxOptions
{
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public int BatchSize { get; set; } = 100;

    /// <summary>How long one publish may wait for the broker's confirm before it counts as failed and stays queued.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait between two attempts at a row whose publish failed.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait before the next attempt at a row after its <paramref name="failedAttempts"/>th failed publish: 0.5 s, doubling, at most <see cref="MaxBackoff"/>.</summary>
    public TimeSpan BackoffAfter(int failedAttempts) =>
        TimeSpan.FromSeconds(Math.Min(Math.Pow(2, Math.Clamp(failedAttempts, 0, 10)) * 0.25, MaxBackoff.TotalSeconds));
}

/// <summary>
/// Names the messages whose outbox payload must not outlive their publish (for example those with personal data): a
/// service registers one, and the dispatcher empties such a row's payload as soon as the broker confirmed it.
/// </summary>
public interface IOutboxPayloadErasure
{
    bool ErasesOnceSent(Type messageType);
}

/// <summary>
/// Publishes every unsent outbox row, oldest first, with publisher confirms and the mandatory flag: a row is
/// marked sent only when the broker confirmed it and routed it to at least one queue. A row whose publish
/// failed (broker down, timeout, no queue bound yet) stays and is retried with back-off.
/// </summary>
public sealed class OutboxDispatcher<TContext>(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal signal,
    TimeProvider clock,
    IOptions<OutboxOptions> options,
    IEnumerable<IOutboxPayloadErasure> erasures,
    ILogger<OutboxDispatcher<TContext>> logger) : BackgroundService
    where TContext : DbContext, IMessagingDbContext
{
    private static readonly ActivitySource Source = new(Extensions.ActivitySourceName);
    private static readonly Meter Meter = new(Extensions.MeterName);
    private static readonly Counter<long> Published = Meter.CreateCounter<long>("kim.outbox.published", description: "Outbox rows confirmed by the broker");
    private static readonly Counter<long> Failed = Meter.CreateCounter<long>("kim.outbox.publish_failures", description: "Failed outbox publish attempts");
    private long backlog;

    // True at start too: a process that stopped between an erasure and its checkpoint finishes the job.
    private bool checkpointPending = true;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Meter.CreateObservableGauge("kim.outbox.backlog", () => Interlocked.Read(ref backlog), description: "Unsent outbox rows seen by the last sweep");
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DispatchBatchAsync(stoppingToken) == options.Value.BatchSize)
                {
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Outbox sweep failed; retrying");
            }

            try
            {
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Publishes one batch of due rows; returns how many rows it tried.</summary>
    public async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.OutboxMessages
            .Where(m => m.SentAt == null && (m.NextAttemptAt == null || m.NextAttemptAt <= now))
            .OrderBy(m => m.CreatedAt)
            .Take(options.Value.BatchSize)
            .ToListAsync(cancellationToken);
        Interlocked.Exchange(ref backlog, due.Count);

        foreach (var row in due)
        {
            try
            {
                await PublishAsync(row, cancellationToken);
                row.SentAt = clock.GetUtcNow().UtcDateTime;
                row.LastError = null;
                if (erasures.Any(erasure => erasure.ErasesOnceSent(Outbox.ResolveType(row.MessageType))))
                {
                    row.Payload = "";
                    checkpointPending = true;
                }

                Published.Add(1, new KeyValuePair<string, object?>("message_type", row.MessageType));
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                row.Attempts++;
                row.LastError = Truncate(exception.GetBaseException().Message, 2000);
                row.NextAttemptAt = clock.GetUtcNow().UtcDateTime.Add(options.Value.BackoffAfter(row.Attempts));
                Failed.Add(1, new KeyValuePair<string, object?>("message_type", row.MessageType));
                logger.LogWarning("Outbox message {MessageId} ({MessageType}) not published, attempt {Attempts}: {Reason}",
                    row.Id, row.MessageType, row.Attempts, row.LastError);
            }

            // Saved per row: a crash after a confirm re-sends at most this one row, which the inbox absorbs.
            await db.SaveChangesAsync(CancellationToken.None);
        }

        Interlocked.Exchange(ref backlog, await db.OutboxMessages.CountAsync(m => m.SentAt == null, cancellationToken));
        if (checkpointPending)
        {
            // Once per batch: the erased payloads' earlier page versions leave the write-ahead log (see docs/security.md).
            checkpointPending = !await SqliteSecureDelete.CheckpointAsync(db, cancellationToken);
        }

        return due.Count;
    }

    private async Task PublishAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        var type = Outbox.ResolveType(row.MessageType);
        var message = JsonSerializer.Deserialize(row.Payload, type, Outbox.SerializerOptions)
            ?? throw new InvalidOperationException($"Outbox message {row.Id} has an empty payload.");

        ActivityContext.TryParse(row.TraceParent, null, out var parent);
        using var activity = Source.StartActivity($"{type.Name} outbox publish", ActivityKind.Internal, parent);
        activity?.SetTag("messaging.message.id", row.Id);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.PublishTimeout);
        var pipe = Pipe.Execute<SendContext>(context =>
        {
            context.MessageId = row.Id;
            context.Durable = true;
            if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
            {
                // Unroutable (no subscriber queue bound yet) fails the publish, so the row stays queued.
                rabbit.Mandatory = true;
            }
        });
        if (row.Destination is null)
        {
            await bus.Publish(message, type, pipe, timeout.Token);
        }
        else
        {
            var endpoint = await bus.GetSendEndpoint(new Uri(row.Destination));
            await endpoint.Send(message, type, pipe, timeout.Token);
        }
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
