namespace Kim.ReportingService.EventStore;

/// <summary>
/// Every consumed integration event, kept append-only. Projections are derived from these rows and can be
/// rebuilt from them.
/// </summary>
public sealed class StoredEvent
{
    public Guid MessageId { get; init; }

    public required string EventType { get; init; }

    public string? TenantId { get; init; }

    /// <summary>The case a case event is about (its pseudonymous key); null for other events.</summary>
    public string? CaseKey { get; init; }

    public DateTime OccurredAt { get; init; }

    public DateTime ReceivedAt { get; init; }

    public required string Payload { get; init; }
}
