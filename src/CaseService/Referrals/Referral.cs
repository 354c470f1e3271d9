using Kim.Contracts;

namespace Kim.CaseService.Referrals;

/// <summary>
/// A referral (Leistungssteuerung) to a provider organisation for a plan item. Moves issued -> accepted -> started
/// -> completed, or ends rejected or cancelled with a reason; see <see cref="ReferralRules"/>.
/// </summary>
public sealed class Referral
{
    public Guid Id { get; init; }

    public Guid CaseId { get; init; }

    public Guid PlanItemId { get; init; }

    public Guid ProviderOrganisationId { get; init; }

    public required string ProviderOrganisationName { get; init; }

    public OrganisationType ProviderType { get; init; }

    /// <summary>
    /// Set when the provider is another tenant of the platform: the status is then set by that tenant. Null for a
    /// provider outside the platform and for an organisation of the referring tenant itself (an internal referral);
    /// the case manager then records the status (see <see cref="ReferralRules.OtherTenant"/>).
    /// </summary>
    public string? ProviderTenantId { get; init; }

    public LegalDomain LegalDomain { get; init; }

    public LifeDomain LifeDomain { get; init; }

    public int TargetDays { get; init; }

    /// <summary>Whether the client's identity is passed to the provider (needs a consent for it).</summary>
    public bool SharesPersonalData { get; init; }

    public ReferralStatus Status { get; set; } = ReferralStatus.Issued;

    /// <summary>
    /// For a provider tenant: the sequence number of the last status message applied from it. Its messages may arrive
    /// late, twice or out of order; only a newer one is applied.
    /// </summary>
    public int StatusSequence { get; set; }

    public DateTime IssuedAt { get; init; }

    public DateTime? AcceptedAt { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? CompletedAt { get; set; }

    public DateTime? RejectedAt { get; set; }

    public DateTime? CancelledAt { get; set; }

    public string? Reason { get; set; }

    public bool? Successful { get; set; }

    public ReferralFailureReason? FailureReason { get; set; }

    /// <summary>Set when a consent behind the referral was withdrawn: identity is no longer passed on.</summary>
    public DateTime? ConsentWithdrawnAt { get; set; }

    /// <summary>From this moment the referral misses its target (<see cref="ReferralTarget"/>).</summary>
    public DateTime DueAt => ReferralTarget.DueAt(IssuedAt, TargetDays);

    public bool IsOpen => Status is ReferralStatus.Issued or ReferralStatus.Accepted or ReferralStatus.Started;

    /// <summary>Still waiting for the provider's answer past its target: an accepted or started referral has its answer.</summary>
    public bool IsOverdue(DateTime nowUtc) => Status == ReferralStatus.Issued && nowUtc >= DueAt;
}

/// <summary>
/// A referral this tenant received from another tenant. It holds no identity until this tenant accepted and the
/// referring tenant's consent covered the transfer; a withdrawn consent erases it again.
/// </summary>
public sealed class IncomingReferral
{
    public Guid Id { get; init; }

    public required string SourceTenantId { get; init; }

    public required string SourceCaseKey { get; init; }

    public required string PlanItemTitle { get; init; }

    public LifeDomain LifeDomain { get; init; }

    public LegalDomain LegalDomain { get; init; }

    public int TargetDays { get; init; }

    public bool IdentityCovered { get; set; }

    public ReferralStatus Status { get; set; } = ReferralStatus.Issued;

    public DateTime ReceivedAt { get; init; }

    public DateTime? StatusChangedAt { get; set; }

    /// <summary>Number of the last status message sent to the referring tenant (1 for the first answer).</summary>
    public int StatusSequence { get; set; }

    public DateTime? AcceptedAt { get; set; }

    public DateTime? StartedAt { get; set; }

    public string? Reason { get; set; }

    /// <summary>Encrypted identity, present only while a consent covers it.</summary>
    public string? ProtectedIdentity { get; set; }

    public DateTime? ConsentWithdrawnAt { get; set; }
}
