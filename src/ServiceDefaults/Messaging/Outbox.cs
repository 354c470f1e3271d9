using System.Diagnostics;
using System.Text.Json;
using Kim.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kim.ServiceDefaults.Messaging;

public static class Outbox
{
    /// <summary>Outbox payloads: web casing, enums by name (as on the wire).</summary>
    internal static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>
    /// Queues <paramref name="integrationEvent"/> in the outbox table; it is stored by the same
    /// <c>SaveChanges</c> as the state change and published after the commit.
    /// </summary>
    public static void AddIntegrationEvent<TContext>(this TContext db, IntegrationEvent integrationEvent, DateTime nowUtc)
        where TContext : DbContext, IMessagingDbContext =>
        Enqueue(db, integrationEvent.MessageId, integrationEvent, destination: null, nowUtc);

    /// <summary>
    /// Queues a message that is published like an event but is no integration event, so the event store does not
    /// keep it (e.g. <see cref="Kim.Contracts.Network.Requests.NetworkSnapshotRequested"/>); <paramref name="messageId"/>
    /// becomes its MassTransit <c>MessageId</c>.
    /// </summary>
    public static void AddPublishedMessage<TContext>(this TContext db, Guid messageId, object message, DateTime nowUtc)
        where TContext : DbContext, IMessagingDbContext =>
        Enqueue(db, messageId, message, destination: null, nowUtc);

    /// <summary>
    /// Queues a message for one other tenant (see <see cref="Kim.Contracts.Referrals.TenantMessage"/>): sent, not published, to
    /// that tenant's own exchange after the commit.
    /// </summary>
    public static void AddTenantMessage<TContext>(this TContext db, Kim.Contracts.Referrals.TenantMessage message, DateTime nowUtc)
        where TContext : DbContext, IMessagingDbContext =>
        Enqueue(db, message.MessageId, message, Kim.Contracts.Referrals.TenantMessage.AddressOf(message.TargetTenantId), nowUtc);

    /// <summary>The one way a message enters the outbox: published when <paramref name="destination"/> is null, else sent there.</summary>
    private static void Enqueue(IMessagingDbContext db, Guid messageId, object message, string? destination, DateTime nowUtc)
    {
        var type = message.GetType();
        db.OutboxMessages.Add(new OutboxMessage
        {
            Id = messageId,
            MessageType = type.FullName!,
            Payload = JsonSerializer.Serialize(message, type, SerializerOptions),
            Destination = destination,
            CreatedAt = nowUtc,
            TraceParent = Activity.Current?.Id,
        });
    }

    internal static Type ResolveType(string messageType) =>
        typeof(IntegrationEvent).Assembly.GetType(messageType, throwOnError: false)
        ?? throw new InvalidOperationException($"Unknown message type '{messageType}'.");
}

/// <summary>Wakes the dispatcher right after a commit, so events leave without waiting for the next poll.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim signal = new(0, 1);

    public void Notify()
    {
        if (signal.CurrentCount == 0)
        {
            try
            {
                signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => signal.WaitAsync(timeout, cancellationToken);
}

internal sealed class OutboxSignalInterceptor(OutboxSignal signal) : SaveChangesInterceptor
{
    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        signal.Notify();
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        signal.Notify();
        return ValueTask.FromResult(result);
    }
}
