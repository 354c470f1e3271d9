using Kim.Contracts.Network;

namespace Kim.NetworkService.Steering;

/// <summary>A person in the steering group (Lenkungsgruppe) representing an organisation of the registry.</summary>
public sealed class SteeringMember
{
    public Guid Id { get; init; }

    public Guid OrganisationId { get; init; }

    public required string Name { get; set; }

    /// <summary>The token subject of the member; votes of the member are only accepted from it, signed in at <see cref="UserTenant"/>.</summary>
    public required string UserId { get; set; }

    /// <summary>The tenant the member signs in at (the token's <c>tenant</c>): with <see cref="UserId"/> the member's identity.</summary>
    public required string UserTenant { get; set; }

    public bool HasVotingRight { get; set; }

    public string? DeputyName { get; set; }

    public string? DeputyUserId { get; set; }

    /// <summary>The tenant the deputy signs in at; set exactly when <see cref="DeputyUserId"/> is.</summary>
    public string? DeputyTenant { get; set; }

    /// <summary>Where invitations to the member go; none: the member is invited otherwise.</summary>
    public string? Email { get; set; }

    /// <summary>Where invitations to the deputy go; only with a deputy.</summary>
    public string? DeputyEmail { get; set; }

    public DateTime JoinedAt { get; init; }

    /// <summary>
    /// The first day (UTC) on which the member no longer belongs to the steering group: from then on the member neither
    /// votes nor counts for quorum or circular ballots, but stays on record with the meetings and votes of before.
    /// </summary>
    public DateOnly? EndedOn { get; set; }

    public MembershipEndReason? EndReason { get; set; }

    /// <summary>A note on the end, e.g. who follows; required for <see cref="MembershipEndReason.Other"/>.</summary>
    public string? EndNote { get; set; }

    /// <summary>Whether the membership has ended on <paramref name="day"/>.</summary>
    public bool HasEndedOn(DateOnly day) => EndedOn is { } ended && ended <= day;

    /// <summary>
    /// Whether the member votes and counts for quorum and circular ballots on <paramref name="day"/>: a voting right, a
    /// known tenant and a membership that has not ended. A member recorded before tenants were recorded has none
    /// (<c>""</c>) and votes again once a coordinator adds it.
    /// </summary>
    public static System.Linq.Expressions.Expression<Func<SteeringMember, bool>> VotesOn(DateOnly day) =>
        m => m.HasVotingRight && m.UserTenant != "" && (m.EndedOn == null || m.EndedOn > day);

    /// <summary>The same as <see cref="VotesOn"/>, for a member already loaded.</summary>
    public bool CanVoteOn(DateOnly day) => HasVotingRight && UserTenant.Length > 0 && !HasEndedOn(day);
}

/// <summary>Why a membership in the steering group ended.</summary>
public enum MembershipEndReason
{
    /// <summary>The term of office ended (Ende der Amtszeit).</summary>
    TermEnded,

    /// <summary>The member resigned (Rücktritt).</summary>
    Resigned,

    /// <summary>The organisation recalled its representative (Abberufung).</summary>
    RecalledByOrganisation,

    /// <summary>The organisation left the steering group.</summary>
    OrganisationLeft,

    Other,
}

/// <summary>
/// One person's seat in the steering group, as member or as deputy: a person (subject and tenant) has at most one, so
/// the database keeps a person from acting for two organisations even when two requests record them at the same moment.
/// </summary>
public sealed class SteeringSeat
{
    public required string UserId { get; init; }

    public required string Tenant { get; init; }

    public Guid MemberId { get; init; }

    /// <summary>Whether the person sits as the member's deputy (otherwise as the member).</summary>
    public bool AsDeputy { get; init; }
}

public enum RulesStatus
{
    Draft,
    InForce,
    Superseded,
}

/// <summary>A version of the rules of procedure (Geschäftsordnung); in force only once adopted by resolution.</summary>
public sealed class RulesOfProcedure
{
    public Guid Id { get; init; }

    public int Version { get; init; }

    /// <summary>Share of voting members (percent) that must be present for the meeting to be quorate.</summary>
    public int QuorumPercent { get; set; }

    public MajorityRule Majority { get; set; }

    public bool CircularAllowed { get; set; }

    public int CircularDeadlineDays { get; set; }

    /// <summary>Share of voting members (percent) that must vote in a circular ballot for its result to count.</summary>
    public int CircularParticipationPercent { get; set; }

    public RulesStatus Status { get; set; }

    public string? ResolutionNumber { get; set; }

    public DateTime CreatedAt { get; init; }

    public DateTime? InForceSince { get; set; }

    /// <summary>
    /// The rules that decide the very first rules of procedure (constituent meeting): half of the voting members present,
    /// simple majority, no circular ballots.
    /// </summary>
    public static RulesOfProcedure Constituent => new()
    {
        Version = 0,
        QuorumPercent = 50,
        Majority = MajorityRule.Simple,
        CircularAllowed = false,
        Status = RulesStatus.InForce,
    };
}

public enum MeetingStatus
{
    Planned,
    Held,
    Cancelled,
}

public enum Presence
{
    Present,

    /// <summary>The member is absent and represented by the deputy, who then votes.</summary>
    RepresentedByDeputy,
    Absent,
}

public sealed record Attendance(Guid MemberId, Presence Presence);

public enum AgendaItemKind
{
    Motion,
    Theme,
    WorkingGroupResult,
    Other,
}

public sealed record AgendaItem(int Order, AgendaItemKind Kind, string Title, Guid? ReferenceId);

/// <summary>The minutes of a meeting: none yet, a draft (editable, every edit kept as a version), or approved by a later meeting (immutable).</summary>
public enum MinutesStatus
{
    None,
    Draft,
    Approved,
}

/// <summary>One version of a meeting's minutes; every recorded text is kept, the latest is the meeting's <see cref="Meeting.Minutes"/>.</summary>
public sealed class MinutesVersion
{
    public Guid MeetingId { get; init; }

    /// <summary>1 for the first text, then 2, 3 ...</summary>
    public int Version { get; init; }

    public required string Text { get; init; }

    public DateTime RecordedAt { get; init; }

    /// <summary>Who recorded it; empty for minutes recorded before versions were kept.</summary>
    public required string RecordedBy { get; init; }
}

/// <summary>A steering-group meeting (Sitzung).</summary>
public sealed class Meeting
{
    public Guid Id { get; init; }

    public required string Title { get; set; }

    public DateTime ScheduledFor { get; set; }

    public MeetingStatus Status { get; set; }

    public List<AgendaItem> Agenda { get; set; } = [];

    public List<Attendance> Attendance { get; set; } = [];

    /// <summary>The current text of the minutes: the latest of its <see cref="MinutesVersion"/>s.</summary>
    public string? Minutes { get; set; }

    /// <summary>Number of the current version of the minutes (0: none yet). With <see cref="MinutesApprovedAt"/> a concurrency token.</summary>
    public int MinutesVersion { get; set; }

    /// <summary>When a later meeting approved the minutes: from then on they are immutable.</summary>
    public DateTime? MinutesApprovedAt { get; set; }

    /// <summary>The held meeting that approved the minutes.</summary>
    public Guid? MinutesApprovedInMeetingId { get; set; }

    public string? MinutesApprovedBy { get; set; }

    public MinutesStatus MinutesStatus => MinutesApprovedAt is not null ? MinutesStatus.Approved : MinutesVersion > 0 ? MinutesStatus.Draft : MinutesStatus.None;

    public DateTime? HeldAt { get; set; }

    public int VotingMembers { get; set; }

    public int VotingMembersPresent { get; set; }

    public bool Quorate { get; set; }

    public string? CancellationReason { get; set; }
}

/// <summary>What an adopted motion brings about.</summary>
public enum MotionKind
{
    General,
    AdoptRules,
    MandateWorkingGroup,
    AssignTheme,
    DecideWorkingGroupResult,
    AdoptGoalSystem,
    AdoptServiceChain,
}

public enum ResultDecision
{
    Adopt,
    Reject,
    Return,
}

public enum MotionStatus
{
    Tabled,
    CircularBallot,
    Adopted,
    Rejected,
}

public enum ImplementationStatus
{
    Open,
    InProgress,
    Done,
}

/// <summary>A motion (Antrag); once decided, the resolution (Beschluss) with its register entry.</summary>
public sealed class Motion
{
    public Guid Id { get; init; }

    public required string Title { get; set; }

    public string? Text { get; set; }

    public MotionKind Kind { get; init; }

    /// <summary>The rules, working group, theme, result, goal system or chain the motion is about.</summary>
    public Guid? SubjectId { get; init; }

    /// <summary>For <see cref="MotionKind.AssignTheme"/>: the working group the theme goes to.</summary>
    public Guid? TargetWorkingGroupId { get; init; }

    public ResultDecision? ResultDecision { get; init; }

    public bool IsBinding { get; set; }

    public MotionStatus Status { get; set; }

    public ResolutionProcedure? Procedure { get; set; }

    public Guid? MeetingId { get; set; }

    public DateTime? CircularDeadline { get; set; }

    public int CircularEligible { get; set; }

    /// <summary>The voting members when the circular ballot started: only they vote in it.</summary>
    public List<Guid> CircularEligibleMembers { get; set; } = [];

    public int CircularParticipationPercent { get; set; }

    public MajorityRule? Majority { get; set; }

    public Guid? CircularObjectedBy { get; set; }

    public string? CircularObjection { get; set; }

    public CircularResult? CircularResult { get; set; }

    public string? RegisterNumber { get; set; }

    public DateTime? DecidedAt { get; set; }

    public int Yes { get; set; }

    public int No { get; set; }

    public int Abstentions { get; set; }

    public ImplementationStatus Implementation { get; set; }

    public string? Responsible { get; set; }

    public required string TabledBy { get; init; }

    public DateTime TabledAt { get; init; }

    /// <summary>Raised with every change of status, so two requests cannot both decide the same motion.</summary>
    public int Revision { get; set; }
}

/// <summary>One member's vote on a motion, cast in a meeting (possibly by the deputy) or in a circular ballot.</summary>
public sealed class Vote
{
    public Guid Id { get; init; }

    public Guid MotionId { get; init; }

    public Guid MemberId { get; init; }

    public VoteChoice Choice { get; init; }

    public bool ByDeputy { get; init; }

    public DateTime CastAt { get; init; }

    public required string RecordedBy { get; init; }
}
