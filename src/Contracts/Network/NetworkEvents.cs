namespace Kim.Contracts.Network;

/// <summary>An organisation joined the network registry (organisation data are not personal data).</summary>
public sealed record OrganisationRegistered : IntegrationEvent
{
    public required Guid OrganisationId { get; init; }

    public required string Name { get; init; }

    public required OrganisationType Type { get; init; }

    /// <summary>Set when the organisation runs its own CaseService on the platform.</summary>
    public string? TenantId { get; init; }
}

/// <summary>What must be done before a step, what the next actor can rely on, and the standards that apply.</summary>
public sealed record HandoverPoint(string Preconditions, string Guarantees, string Standards);

public sealed record ChainStep(
    int Order,
    string Activity,
    Guid ResponsibleOrganisationId,
    string ResponsibleOrganisationName,
    LegalDomain LegalDomain,
    HandoverPoint Handover,
    int TargetDays);

/// <summary>The steering group adopted a version of a service chain (Dienstleistungskette).</summary>
public sealed record ServiceChainAdopted : IntegrationEvent
{
    public required Guid ChainId { get; init; }

    public required int Version { get; init; }

    public required string Title { get; init; }

    public required LifeDomain LifeDomain { get; init; }

    public required IReadOnlyList<ChainStep> Steps { get; init; }

    public required string ResolutionNumber { get; init; }
}

public enum ResolutionProcedure
{
    Meeting,
    Circular,
}

/// <summary>The steering group adopted a resolution.</summary>
public sealed record ResolutionAdopted : IntegrationEvent
{
    public required Guid ResolutionId { get; init; }

    /// <summary>Register number, e.g. <c>LG-2026-07</c>.</summary>
    public required string RegisterNumber { get; init; }

    public required string Title { get; init; }

    public required bool IsBinding { get; init; }

    public required ResolutionProcedure Procedure { get; init; }

    public required int Yes { get; init; }

    public required int No { get; init; }

    public required int Abstentions { get; init; }
}

/// <summary>A steering-group meeting was held.</summary>
public sealed record MeetingHeld : IntegrationEvent
{
    public required Guid MeetingId { get; init; }

    public required DateOnly HeldOn { get; init; }

    public required int VotingMembers { get; init; }

    public required int VotingMembersPresent { get; init; }

    public required bool Quorate { get; init; }

    /// <summary>Organisation types represented at the meeting (to report, e.g., whether migrant organisations take part).</summary>
    public required IReadOnlyList<OrganisationType> RepresentedTypes { get; init; }
}

/// <summary>A version of the rules of procedure was adopted by resolution.</summary>
public sealed record RulesOfProcedureAdopted : IntegrationEvent
{
    public required int Version { get; init; }

    public required string ResolutionNumber { get; init; }

    public required bool CircularResolutionsAllowed { get; init; }
}

/// <summary>A working group (PAG) was set up by resolution with a written mandate.</summary>
public sealed record WorkingGroupMandated : IntegrationEvent
{
    public required Guid WorkingGroupId { get; init; }

    public required string Name { get; init; }

    public Guid? ThemeId { get; init; }

    public required string ResolutionNumber { get; init; }
}

public enum ThemeSource
{
    Reconstructions,
    Manual,
}

/// <summary>A generative theme was proposed (from reconstruction barriers or by hand).</summary>
public sealed record GenerativeThemeProposed : IntegrationEvent
{
    public required Guid ThemeId { get; init; }

    public required string Title { get; init; }

    public required LifeDomain LifeDomain { get; init; }

    public required ThemeSource Source { get; init; }

    public required int Reconstructions { get; init; }

    public required int Tenants { get; init; }
}

/// <summary>A goal system (Zielsystem) version was adopted by resolution.</summary>
public sealed record GoalSystemAdopted : IntegrationEvent
{
    public required Guid GoalSystemId { get; init; }

    public required int Version { get; init; }

    public Guid? ThemeId { get; init; }

    public required int Indicators { get; init; }

    public required string ResolutionNumber { get; init; }
}

public enum ForwardingPartnerKind
{
    Carrier,
    MemberTown,
}

/// <summary>A forwarding contract for case-management positions was signed with a carrier or member town.</summary>
public sealed record ForwardingContractSigned : IntegrationEvent
{
    public required Guid ContractId { get; init; }

    public required string PartnerTenantId { get; init; }

    public required ForwardingPartnerKind PartnerKind { get; init; }

    public required decimal Fte { get; init; }
}

/// <summary>
/// A cooperation agreement was signed (common CM concept, supervision, instruments). The partner may be any
/// organisation of the registry, e.g. a carrier, a Jobcenter or an immigration authority.
/// </summary>
public sealed record CooperationAgreementSigned : IntegrationEvent
{
    public required Guid AgreementId { get; init; }

    /// <summary>The partner's tenant on the platform; null for a partner without one (e.g. a Jobcenter).</summary>
    public string? PartnerTenantId { get; init; }

    /// <summary>Set for a carrier or member town; null for any other partner (see <see cref="PartnerType"/>).</summary>
    public ForwardingPartnerKind? PartnerKind { get; init; }

    /// <summary>The partner's organisation type in the registry; null from senders before this field.</summary>
    public OrganisationType? PartnerType { get; init; }

    public required bool UsesCommonInstruments { get; init; }
}

/// <summary>
/// NetworkService's answer to <see cref="Requests.NetworkSnapshotRequested"/>, broadcast to every CaseService: the
/// whole registry and every adopted service chain version, each as its live event announced it. Receivers apply it
/// with the rules of the live events but only add what they do not know, so it never undoes a newer live change
/// and applying it again changes nothing.
/// </summary>
/// <remarks>No integration event: it restates facts already published, so the event store does not keep it.</remarks>
public sealed record NetworkSnapshotPublished
{
    public Guid MessageId { get; init; } = Guid.NewGuid();

    /// <summary>When NetworkService read its registry for this snapshot.</summary>
    public required DateTime OccurredAt { get; init; }

    /// <summary>The tenant that asked; every CaseService applies the snapshot regardless.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>Every organisation of the registry, as <see cref="OrganisationRegistered"/> announced it (at its registration time).</summary>
    public required IReadOnlyList<OrganisationRegistered> Organisations { get; init; }

    /// <summary>Every adopted version of every service chain (superseded ones included), as <see cref="ServiceChainAdopted"/> announced it.</summary>
    public required IReadOnlyList<ServiceChainAdopted> ServiceChains { get; init; }

    public int SchemaVersion { get; init; } = 1;
}
