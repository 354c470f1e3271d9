namespace Kim.Contracts.Referrals;

/// <summary>
/// A message sent from one tenant's CaseService to another's, about a referral between them. Unlike integration
/// events these are not broadcast: they are sent to the target tenant's own exchange
/// (<see cref="AddressOf"/>), which only that tenant's CaseService can read.
/// </summary>
public abstract record TenantMessage
{
    public Guid MessageId { get; init; } = Guid.NewGuid();

    public required DateTime OccurredAt { get; init; }

    public required string SourceTenantId { get; init; }

    public required string TargetTenantId { get; init; }

    public int SchemaVersion { get; init; } = 1;

    /// <summary>Name of the exchange a tenant receives its referral messages on.</summary>
    public static string ExchangeOf(string tenantId) => $"kim.referrals.{tenantId}";

    /// <summary>MassTransit address of <see cref="ExchangeOf"/>.</summary>
    public static string AddressOf(string tenantId) => $"exchange:{ExchangeOf(tenantId)}";
}

/// <summary>Marks a message that carries personal data: sent only under a consent, its outbox payload is erased once sent.</summary>
public interface IPersonalDataMessage;

/// <summary>A referral to an organisation that is a tenant of the platform; it carries no identity of the client.</summary>
public sealed record ReferralForwarded : TenantMessage
{
    public required Guid ReferralId { get; init; }

    /// <summary>The source tenant's pseudonymous key of the case.</summary>
    public required string CaseKey { get; init; }

    public required string PlanItemTitle { get; init; }

    public required LifeDomain LifeDomain { get; init; }

    public required LegalDomain LegalDomain { get; init; }

    public required int TargetDays { get; init; }

    /// <summary>Whether the client consented to identity transfer for this provider; the identity follows on acceptance.</summary>
    public required bool IdentityCovered { get; init; }
}

/// <summary>
/// The provider tenant changed the status of a forwarded referral; sent back to the referring tenant. Such messages
/// may arrive late, twice or out of order: the referring tenant applies one only if its <see cref="Sequence"/> is
/// newer than the last it applied, and takes the earlier steps' times from it when it skipped them.
/// <see cref="TenantMessage.OccurredAt"/> is the time of this status.
/// </summary>
public sealed record ForwardedReferralStatusChanged : TenantMessage
{
    public required Guid ReferralId { get; init; }

    public required ReferralStatus Status { get; init; }

    /// <summary>The provider's number of this status message for the referral: 1 for its first answer, then 2, 3 ... Null from senders before this field.</summary>
    public int? Sequence { get; init; }

    /// <summary>When the provider accepted the referral, if it did.</summary>
    public DateTime? AcceptedAt { get; init; }

    /// <summary>When the provider started the service, if it did.</summary>
    public DateTime? StartedAt { get; init; }

    public string? Reason { get; init; }

    public bool? Successful { get; init; }

    public ReferralFailureReason? FailureReason { get; init; }
}

/// <summary>The client's identity for an accepted referral, sent only while a consent for the provider covers it.</summary>
public sealed record ReferralIdentityShared : TenantMessage, IPersonalDataMessage
{
    public required Guid ReferralId { get; init; }

    public required string GivenName { get; init; }

    public required string FamilyName { get; init; }

    public required DateOnly BirthDate { get; init; }

    public string? Phone { get; init; }

    public string? Email { get; init; }

    /// <summary>The postal address, sent only when neither phone nor email is known (the provider needs one way to reach the client).</summary>
    public string? Address { get; init; }
}

/// <summary>The referring tenant cancelled a referral or the consent behind it was withdrawn: the provider erases the identity.</summary>
public sealed record ForwardedReferralWithdrawn : TenantMessage
{
    public required Guid ReferralId { get; init; }

    /// <summary>True when the withdrawal is a consent withdrawal (the referral may go on without identity); false for a cancellation.</summary>
    public required bool ConsentWithdrawn { get; init; }

    public string? Reason { get; init; }
}
