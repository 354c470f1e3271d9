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

    /// <summary>Rows read, published and marked sent together; also the most a crash between confirms and the mark re-sends.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Publishes of a batch waiting for their confirm at once.</summary>
    public int MaxInFlight { get; set; } = 100;

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
/// Publishes every unsent outbox row with publisher confirms and the mandatory flag: a row is marked sent only when
/// the broker confirmed it and routed it to at least one queue. A row whose publish failed (broker down, timeout, no
/// queue bound yet) stays and is retried with back-off.
/// <para>
/// Rows go in batches of <see cref="OutboxOptions.BatchSize"/>, oldest first: the publishes of a batch start in that
/// order with up to <see cref="OutboxOptions.MaxInFlight"/> confirms outstanding, and once every publish of the batch
/// has its outcome, all confirmed rows are marked sent in one statement (which also empties the payloads that an
/// <see cref="IOutboxPayloadErasure"/> names); the failed rows' attempts and back-off are saved together after it.
/// </para>
/// <para>
/// A crash between the confirms and the mark re-sends at most one batch: its rows are still unsent and go again, with
/// the same message ids, and every consumer's inbox skips what it applied already (<see cref="IdempotentConsumer{TMessage, TContext}"/>).
/// </para>
/// <para>
/// Order: within a batch, publishes overlap, so two messages of one batch may reach their queues in either order;
/// failed rows are retried after later ones anyway, and consumers process several messages at once. No consumer
/// relies on arrival order: the event store and its projections do not depend on it, status messages between
/// tenants carry a per-referral sequence, and the registry's replicas are keyed by organisation and chain version.
/// </para>
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

        var outcomes = await PublishAllAsync(due, cancellationToken);
        var sent = new List<Guid>(due.Count);
        var erased = new List<Guid>();
        for (var i = 0; i < due.Count; i++)
        {
            var row = due[i];
            if (outcomes[i] is not { } exception)
            {
                sent.Add(row.Id);
                if (erasures.Any(erasure => erasure.ErasesOnceSent(Outbox.ResolveType(row.MessageType))))
                {
                    erased.Add(row.Id);
                }

                Published.Add(1, new KeyValuePair<string, object?>("message_type", row.MessageType));
            }
            else if (!(exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                row.Attempts++;
                row.LastError = Truncate(exception.GetBaseException().Message, 2000);
                row.NextAttemptAt = clock.GetUtcNow().UtcDateTime.Add(options.Value.BackoffAfter(row.Attempts));
                Failed.Add(1, new KeyValuePair<string, object?>("message_type", row.MessageType));
                logger.LogWarning("Outbox message {MessageId} ({MessageType}) not published, attempt {Attempts}: {Reason}",
                    row.Id, row.MessageType, row.Attempts, row.LastError);
            }

            // A publish cut short by shutdown is no failed attempt: the row stays due as it was.
        }

        // Not cancellable: what the broker confirmed is marked even while the host stops.
        await MarkSentAsync(db, sent, erased);
        checkpointPending |= erased.Count > 0;
        if (db.ChangeTracker.HasChanges())
        {
            // The failed rows' attempts and back-off, in one save.
            await db.SaveChangesAsync(CancellationToken.None);
        }

        cancellationToken.ThrowIfCancellationRequested();

        Interlocked.Exchange(ref backlog, await db.OutboxMessages.CountAsync(m => m.SentAt == null, cancellationToken));
        if (checkpointPending)
        {
            // Once per batch: the erased payloads' earlier page versions leave the write-ahead log (see docs/security.md).
            checkpointPending = !await SqliteConnectionSetup.CheckpointAsync(db, cancellationToken);
        }

        return due.Count;
    }

    /// <summary>
    /// Starts the publishes in the rows' order, at most <see cref="OutboxOptions.MaxInFlight"/> awaiting their confirm
    /// at once; returns each row's failure, or null for a row the broker confirmed.
    /// </summary>
    private async Task<Exception?[]> PublishAllAsync(List<OutboxMessage> rows, CancellationToken cancellationToken)
    {
        var outcomes = new Exception?[rows.Count];
        using var inFlight = new SemaphoreSlim(Math.Max(1, options.Value.MaxInFlight));
        var publishes = new List<Task>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            try
            {
                await inFlight.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException canceled)
            {
                Array.Fill(outcomes, canceled, i, rows.Count - i);
                break;
            }

            publishes.Add(PublishOneAsync(i));
        }

        await Task.WhenAll(publishes);
        return outcomes;

        async Task PublishOneAsync(int index)
        {
            try
            {
                await PublishAsync(rows[index], cancellationToken);
            }
            catch (Exception exception)
            {
                outcomes[index] = exception;
            }
            finally
            {
                inFlight.Release();
            }
        }
    }

    /// <summary>Marks the confirmed rows sent in one statement, emptying the payloads of <paramref name="erased"/> in it.</summary>
    private async Task MarkSentAsync(TContext db, List<Guid> sent, List<Guid> erased)
    {
        if (sent.Count == 0)
        {
            return;
        }

        var sentAt = clock.GetUtcNow().UtcDateTime;
        await db.OutboxMessages
            .Where(m => sent.Contains(m.Id))
            .ExecuteUpdateAsync(
                set =>
                {
                    set.SetProperty(m => m.SentAt, sentAt);
                    set.SetProperty(m => m.LastError, (string?)null);
                    if (erased.Count > 0)
                    {
                        set.SetProperty(m => m.Payload, m => erased.Contains(m.Id) ? "" : m.Payload);
                    }
                },
                CancellationToken.None);
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
