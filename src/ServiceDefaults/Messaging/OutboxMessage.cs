namespace Kim.ServiceDefaults.Messaging;

/// <summary>An integration event waiting in the service's own database until the broker confirmed it.</summary>
public sealed class OutboxMessage
{
    /// <summary>Equals the event's <c>MessageId</c>; published as the MassTransit message id.</summary>
    public Guid Id { get; set; }

    /// <summary>Full CLR name of the contract type, e.g. <c>Kim.Contracts.Cases.CaseOpened</c>.</summary>
    public required string MessageType { get; set; }

    /// <summary>The serialised message; emptied once sent when an <see cref="IOutboxPayloadErasure"/> of the service names its type.</summary>
    public required string Payload { get; set; }

    /// <summary>MassTransit address the message is sent to (a tenant's own exchange); null for an event that is published.</summary>
    public string? Destination { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? SentAt { get; set; }

    public int Attempts { get; set; }

    public DateTime? NextAttemptAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>W3C trace parent of the request that wrote the event, so the publish joins its trace.</summary>
    public string? TraceParent { get; set; }
}

/// <summary>A message a consumer has applied; the key (<see cref="MessageId"/>, <see cref="Consumer"/>) makes redelivery harmless.</summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; set; }

    public required string Consumer { get; set; }

    public DateTime ReceivedAt { get; set; }
}
