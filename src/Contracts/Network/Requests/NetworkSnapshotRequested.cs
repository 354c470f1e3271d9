namespace Kim.Contracts.Network.Requests;

/// <summary>
/// A CaseService asks NetworkService for the current network registry and adopted service chains, which
/// NetworkService answers with <see cref="NetworkSnapshotPublished"/>. Sent at every start, so a new or restored
/// instance learns what was registered and adopted before its queues existed.
/// </summary>
/// <remarks>
/// No integration event: it is no fact of the network, so the event store does not keep it. Its own namespace gives
/// it an exchange (<c>Kim.Contracts.Network.Requests:NetworkSnapshotRequested</c>) that only CaseServices may write
/// and only NetworkService may read (see <c>BrokerAccess</c>).
/// </remarks>
public sealed record NetworkSnapshotRequested
{
    public Guid MessageId { get; init; } = Guid.NewGuid();

    public required DateTime OccurredAt { get; init; }

    /// <summary>The tenant whose CaseService asks.</summary>
    public required string TenantId { get; init; }

    public int SchemaVersion { get; init; } = 1;
}
