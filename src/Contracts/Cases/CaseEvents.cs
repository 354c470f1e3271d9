namespace Kim.Contracts.Cases;

/// <summary>A case moved to another phase; <see cref="IsBackward"/> marks an explicit, reasoned step back or a reopening.</summary>
public sealed record CasePhaseChanged : CaseIntegrationEvent
{
    public required CasePhase From { get; init; }

    public required CasePhase To { get; init; }

    public bool IsBackward { get; init; }
}

/// <summary>Intake ended with case management not indicated; the person was referred elsewhere and no case continues.</summary>
public sealed record CaseNotIndicated : CaseIntegrationEvent
{
    /// <summary>Organisation type the person was referred to instead, when known.</summary>
    public OrganisationType? ReferredTo { get; init; }
}

/// <summary>A goal was agreed with the client.</summary>
public sealed record GoalAgreed : CaseIntegrationEvent
{
    public required Guid GoalId { get; init; }

    public required LifeDomain LifeDomain { get; init; }
}

/// <summary>A referral to a provider organisation was issued for a plan item.</summary>
public sealed record ReferralIssued : CaseIntegrationEvent
{
    public required Guid ReferralId { get; init; }

    /// <summary>The provider organisation of the network registry.</summary>
    public required Guid ProviderOrganisationId { get; init; }

    public required string ProviderOrganisationName { get; init; }

    /// <summary>Set when the provider is another tenant of the platform: its CaseService receives the referral (without identity).</summary>
    public string? ProviderTenantId { get; init; }

    public required LegalDomain LegalDomain { get; init; }

    public required LifeDomain LifeDomain { get; init; }

    public Guid? ServiceChainId { get; init; }

    public int? ServiceChainVersion { get; init; }

    public int? ChainStepOrder { get; init; }

    public required int TargetDays { get; init; }
}

/// <summary>A referral changed status; <see cref="Successful"/> and <see cref="FailureReason"/> are set on completion, <see cref="Reason"/> on rejection or cancellation.</summary>
public sealed record ReferralStatusChanged : CaseIntegrationEvent
{
    public required Guid ReferralId { get; init; }

    public required ReferralStatus Status { get; init; }

    public string? Reason { get; init; }

    public bool? Successful { get; init; }

    public ReferralFailureReason? FailureReason { get; init; }
}

/// <summary>A case review (Fallbesprechung) or case conference (Fallkonferenz) was held.</summary>
public sealed record CaseReviewHeld : CaseIntegrationEvent
{
    public required CaseReviewKind Kind { get; init; }

    /// <summary>Participants by organisation type (no names).</summary>
    public required IReadOnlyList<OrganisationType> Participants { get; init; }
}

/// <summary>A case was closed with the evaluation of its goals.</summary>
public sealed record CaseClosed : CaseIntegrationEvent
{
    public required string Reason { get; init; }

    public required int GoalsAgreed { get; init; }

    public required int GoalsAchieved { get; init; }

    public required int GoalsPartlyAchieved { get; init; }

    public required int DurationDays { get; init; }
}

/// <summary>A client revoked a consent.</summary>
public sealed record ConsentRevoked : CaseIntegrationEvent
{
    public required ConsentPurpose Purpose { get; init; }

    /// <summary>For <see cref="ConsentPurpose.DataTransferToProvider"/>: the provider organisation the consent named.</summary>
    public Guid? ProviderOrganisationId { get; init; }
}

/// <summary>
/// A barrier in the service system found in a case reconstruction (anonymised). It may name where it occurred: a
/// provider of the network registry and/or a step of an adopted service chain, so themes and bottlenecks meet.
/// </summary>
public sealed record Barrier(LifeDomain LifeDomain, LegalDomain LegalDomain, string Description, IReadOnlyList<string> ThemeTags)
{
    public Guid? ProviderOrganisationId { get; init; }

    public Guid? ServiceChainId { get; init; }

    public int? ServiceChainVersion { get; init; }

    public int? ChainStepOrder { get; init; }
}

/// <summary>A coordinator submitted an anonymised case reconstruction. It names no case: no CaseKey.</summary>
public sealed record CaseReconstructionSubmitted : TenantIntegrationEvent
{
    public required Guid ReconstructionId { get; init; }

    public required IReadOnlyList<Barrier> Barriers { get; init; }
}
