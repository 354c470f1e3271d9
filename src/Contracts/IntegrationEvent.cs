namespace Kim.Contracts;

/// <summary>
/// Base of every integration event exchanged between KIM services.
/// Events never carry personal data: case events name a case only by its pseudonymous <c>CaseKey</c>.
/// </summary>
public abstract record IntegrationEvent
{
    /// <summary>Unique id of this event; consumers use it to apply each event exactly once.</summary>
    public Guid MessageId { get; init; } = Guid.NewGuid();

    /// <summary>When the fact happened (UTC).</summary>
    public required DateTime OccurredAt { get; init; }

    /// <summary>Version of the event's schema; raised when a field changes meaning or is removed.</summary>
    public int SchemaVersion { get; init; } = 1;
}

/// <summary>An event raised inside one tenant's CaseService.</summary>
public abstract record TenantIntegrationEvent : IntegrationEvent
{
    /// <summary>The tenant (coordinating office, carrier or member town) whose CaseService raised the event.</summary>
    public required string TenantId { get; init; }
}

/// <summary>An event about one case of a tenant.</summary>
public abstract record CaseIntegrationEvent : TenantIntegrationEvent
{
    /// <summary>Keyed hash of the case id with the tenant's secret: stable per case, not reversible outside the tenant.</summary>
    public required string CaseKey { get; init; }
}
