using System.Text.Json;
using Kim.Contracts;
using Kim.ReportingService.Infrastructure;
using Kim.ReportingService.ReadModels;
using Kim.ServiceDefaults.Messaging;
using MassTransit;

namespace Kim.ReportingService.EventStore;

/// <summary>
/// Keeps every integration event the platform publishes in the append-only event store (idempotent by message id)
/// and applies it to the read model, in one transaction; <see cref="ReadModelRebuild"/> replays the store.
/// </summary>
public sealed class StoreEventHandler<TEvent>(ReportingDbContext db, TimeProvider clock, ILogger<StoreEventHandler<TEvent>> logger)
    : IdempotentConsumer<TEvent, ReportingDbContext>(db, clock, logger)
    where TEvent : IntegrationEvent
{
    protected override string ConsumerName => $"Store{typeof(TEvent).Name}";

    protected override async Task HandleAsync(TEvent message, ConsumeContext<TEvent> context)
    {
        var stored = StoredEvents.From(message, context.MessageId!.Value, Clock);
        Db.StoredEvents.Add(stored);
        await ReadModelStore.ApplyAsync(Db, message, stored.ReceivedAt, context.CancellationToken);
    }
}

public static class StoredEvents
{
    /// <summary>Stored payloads keep the event's property names and write enums by name.</summary>
    public static readonly JsonSerializerOptions PayloadOptions = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    /// <summary>Every concrete event type of the contracts: what ReportingService subscribes to.</summary>
    public static IReadOnlyList<Type> EventTypes { get; } = typeof(IntegrationEvent).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IntegrationEvent).IsAssignableFrom(t))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .ToList();

    public static IReadOnlyDictionary<string, Type> TypeByName { get; } = EventTypes.ToDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>The case a case event is about; null for other events and for a case event without tenant or key.</summary>
    public static string? CaseKeyOf(IntegrationEvent message) =>
        message is CaseIntegrationEvent { TenantId: { Length: > 0 }, CaseKey: { Length: > 0 } key } ? key : null;

    public static StoredEvent From<TEvent>(TEvent message, Guid messageId, TimeProvider clock) where TEvent : IntegrationEvent => new()
    {
        MessageId = messageId,
        EventType = typeof(TEvent).Name,
        TenantId = (message as TenantIntegrationEvent)?.TenantId,
        CaseKey = CaseKeyOf(message),
        OccurredAt = message.OccurredAt,
        ReceivedAt = clock.GetUtcNow().UtcDateTime,
        Payload = JsonSerializer.Serialize(message, PayloadOptions),
    };
}
