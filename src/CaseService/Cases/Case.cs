using Kim.CaseService.Consents;
using Kim.CaseService.Referrals;
using Kim.Contracts;

namespace Kim.CaseService.Cases;

public enum CaseStatus
{
    Open,
    NotIndicated,
    Closed,
}

/// <summary>
/// A case of one client, with exactly one current phase. The rules for moving between phases are in
/// <see cref="CaseRules"/>; this class only holds the state.
/// </summary>
public sealed class Case
{
    public Guid Id { get; init; }

    public Guid ClientId { get; init; }

    public Client Client { get; init; } = null!;

    /// <summary>Pseudonymous key used in every event about this case.</summary>
    public required string CaseKey { get; init; }

    public CasePhase Phase { get; set; } = CasePhase.Intake;

    public CaseStatus Status { get; set; } = CaseStatus.Open;

    public DateTime OpenedAt { get; init; }

    /// <summary>User id (token subject) of the responsible case manager.</summary>
    public required string AssignedTo { get; set; }

    /// <summary>Colleagues who stand in for the responsible case manager; they read and change the case too.</summary>
    public List<CaseDeputy> Deputies { get; init; } = [];

    /// <summary>
    /// Row version for optimistic concurrency: every change of the case or anything in it raises it, the update is
    /// conditional on the version read, and reads send it as the <c>ETag</c>.
    /// </summary>
    public long Version { get; set; } = 1;

    public AccessRoute AccessRoute { get; init; }

    /// <summary>
    /// The case number (Fallnummer) of a case taken over from the site's earlier records (Datenübernahme, see
    /// docs/import.md); unique per tenant, so the same case cannot be imported twice. Null for cases opened here.
    /// </summary>
    public string? ImportReference { get; init; }

    public Indication? Indication { get; set; }

    public string? NotIndicatedReason { get; set; }

    public OrganisationType? ReferredToType { get; set; }

    public Guid? ReferredToOrganisationId { get; set; }

    public string? ClosureReason { get; set; }

    public DateTime? ClosedAt { get; set; }

    public List<LifeDomainAssessment> Assessments { get; init; } = [];

    public List<Goal> Goals { get; init; } = [];

    public List<PlanItem> PlanItems { get; init; } = [];

    public List<Referral> Referrals { get; init; } = [];

    public List<ServiceDelivery> Deliveries { get; init; } = [];

    public List<CaseReview> Reviews { get; init; } = [];

    public List<PhaseChange> History { get; init; } = [];

    public List<Consent> Consents { get; init; } = [];

    public IEnumerable<Goal> AgreedGoals => Goals.Where(g => g.AgreedAt is not null);
}

/// <summary>A deputy of a case's responsible case manager (Vertretung).</summary>
public sealed class CaseDeputy
{
    public Guid CaseId { get; init; }

    public required string UserId { get; init; }
}

/// <summary>How the client came to case management.</summary>
public enum AccessRoute
{
    Unknown,
    SelfReferral,
    ReferralByAuthority,
    ReferralByCounselling,
    Outreach,
}

/// <summary>The indication decision of the intake: all three criteria must hold for case management.</summary>
public sealed record Indication(bool TargetGroup, bool WillingToCooperate, bool CommunicationPossible, DateTime DecidedAt, string DecidedBy)
{
    public bool Indicated => TargetGroup && WillingToCooperate && CommunicationPossible;
}

/// <summary>Assessment of one life domain, with the client's own view.</summary>
public sealed class LifeDomainAssessment
{
    public Guid Id { get; init; }

    public Guid CaseId { get; init; }

    public LifeDomain LifeDomain { get; init; }

    public string? Situation { get; set; }

    public string? Resources { get; set; }

    public string? Needs { get; set; }

    public string? ClientView { get; set; }

    public DateTime AssessedAt { get; set; }

    public bool IsComplete =>
        !string.IsNullOrWhiteSpace(Situation) && !string.IsNullOrWhiteSpace(Resources)
        && !string.IsNullOrWhiteSpace(Needs) && !string.IsNullOrWhiteSpace(ClientView);
}

/// <summary>A goal agreed with the client (Zielvereinbarung); evaluated at closure.</summary>
public sealed class Goal
{
    public Guid Id { get; init; }

    public Guid CaseId { get; init; }

    public LifeDomain LifeDomain { get; init; }

    public string? Description { get; set; }

    public DateOnly? TargetDate { get; init; }

    public DateTime? AgreedAt { get; init; }

    public GoalEvaluation? Evaluation { get; set; }
}

/// <summary>One item of the service plan: who does what, by when.</summary>
public sealed class PlanItem
{
    public Guid Id { get; init; }

    public Guid CaseId { get; init; }

    public required string Title { get; init; }

    public LifeDomain LifeDomain { get; init; }

    public LegalDomain LegalDomain { get; init; }

    public Guid ResponsibleOrganisationId { get; init; }

    public required string ResponsibleOrganisationName { get; init; }

    public int TargetDays { get; init; }

    public Guid? GoalId { get; init; }

    public Guid? ServiceChainId { get; init; }

    public int? ServiceChainVersion { get; init; }

    public int? ChainStepOrder { get; init; }

    public DateTime PlannedAt { get; init; }
}

/// <summary>A monitoring record: was the planned service delivered?</summary>
public sealed class ServiceDelivery
{
    public Guid Id { get; init; }

    public Guid CaseId { get; init; }

    public Guid PlanItemId { get; init; }

    public bool Delivered { get; init; }

    public string? Note { get; set; }

    public DateOnly RecordedOn { get; init; }

    public DateTime RecordedAt { get; init; }
}

/// <summary>A Fallbesprechung or Fallkonferenz.</summary>
public sealed class CaseReview
{
    public Guid Id { get; init; }

    public Guid CaseId { get; init; }

    public CaseReviewKind Kind { get; init; }

    public DateOnly HeldOn { get; init; }

    public List<OrganisationType> Participants { get; init; } = [];

    public bool CoordinatorPresent { get; init; }

    public string? Outcome { get; set; }

    public required string RecordedBy { get; init; }
}

/// <summary>One step of a case's history: forward, back, closure or reopening, with its reason.</summary>
public sealed class PhaseChange
{
    public long Id { get; init; }

    public Guid CaseId { get; init; }

    public CasePhase From { get; init; }

    public CasePhase To { get; init; }

    public bool IsBackward { get; init; }

    public string? Reason { get; set; }

    public DateTime At { get; init; }

    public required string By { get; init; }
}
