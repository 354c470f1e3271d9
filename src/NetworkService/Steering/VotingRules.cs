namespace Kim.NetworkService.Steering;

/// <summary>How many votes a motion needs (Mehrheitserfordernis).</summary>
public enum MajorityRule
{
    /// <summary>More yes than no; abstentions do not count; a tie rejects.</summary>
    Simple,

    /// <summary>Yes at least two thirds of the yes and no votes; abstentions do not count.</summary>
    TwoThirds,

    /// <summary>At least one yes and no single no; abstentions do not block.</summary>
    Consensus,
}

public enum VoteChoice
{
    Yes,
    No,
    Abstain,
}

public enum VoteOutcome
{
    Adopted,
    Rejected,
}

public readonly record struct Tally(int Yes, int No, int Abstentions)
{
    public int Cast => Yes + No + Abstentions;

    public static Tally Of(IEnumerable<VoteChoice> votes)
    {
        int yes = 0, no = 0, abstain = 0;
        foreach (var vote in votes)
        {
            switch (vote)
            {
                case VoteChoice.Yes: yes++; break;
                case VoteChoice.No: no++; break;
                default: abstain++; break;
            }
        }

        return new Tally(yes, no, abstain);
    }
}

/// <summary>
/// The arithmetic of quorum and majority, in integers only (no rounding). Documented in docs/voting-rules.md;
/// every rule there has a unit test.
/// </summary>
public static class VotingRules
{
    /// <summary>
    /// Quorate when at least <paramref name="quorumPercent"/> percent of the voting members are present (a member
    /// represented by a deputy counts as present), and at least one is.
    /// </summary>
    public static bool IsQuorate(int votingMembers, int present, int quorumPercent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(votingMembers);
        ArgumentOutOfRangeException.ThrowIfNegative(present);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(present, votingMembers);
        return present > 0 && present * 100L >= (long)quorumPercent * votingMembers;
    }

    /// <summary>Outcome of a tally under <paramref name="rule"/>. Abstentions never count as yes or as no.</summary>
    public static VoteOutcome Decide(MajorityRule rule, Tally tally) => rule switch
    {
        MajorityRule.Simple => tally.Yes > tally.No ? VoteOutcome.Adopted : VoteOutcome.Rejected,
        MajorityRule.TwoThirds => tally.Yes > 0 && 3L * tally.Yes >= 2L * (tally.Yes + tally.No) ? VoteOutcome.Adopted : VoteOutcome.Rejected,
        MajorityRule.Consensus => tally.Yes > 0 && tally.No == 0 ? VoteOutcome.Adopted : VoteOutcome.Rejected,
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };

    /// <summary>Whether enough of the eligible members took part in a circular ballot (abstentions are participation).</summary>
    public static bool ParticipationMet(int eligible, int cast, int participationPercent) =>
        cast > 0 && cast * 100L >= (long)participationPercent * eligible;

    /// <summary>How a member took part in a meeting: a member missing from the attendance list was absent.</summary>
    public static Presence PresenceOf(IEnumerable<Attendance> attendance, Guid memberId) =>
        attendance.FirstOrDefault(a => a.MemberId == memberId)?.Presence ?? Presence.Absent;

    /// <summary>A vote in a meeting is cast by the deputy exactly when the member was represented by the deputy.</summary>
    public static bool CastByDeputy(Presence presence) => presence == Presence.RepresentedByDeputy;

    /// <summary>
    /// Why a vote recorded for a meeting is not admissible, or null when it is. Only voting members vote; a member votes
    /// in person when present, through the deputy when represented, and not at all when absent.
    /// </summary>
    /// <param name="byDeputy">What the record says about who cast the vote; null when it does not say.</param>
    public static MeetingVoteRefusal? CheckMeetingVote(bool hasVotingRight, Presence presence, bool? byDeputy) =>
        !hasVotingRight ? MeetingVoteRefusal.NoVotingRight
        : presence == Presence.Absent ? MeetingVoteRefusal.Absent
        : byDeputy == true && presence == Presence.Present ? MeetingVoteRefusal.DeputyWhileMemberPresent
        : byDeputy == false && presence == Presence.RepresentedByDeputy ? MeetingVoteRefusal.MemberRepresentedByDeputy
        : null;

    /// <summary>
    /// The first inadmissible vote of a meeting's ballot and why, or null when every vote is admissible. A vote for someone
    /// without voting right outranks every other refusal, wherever it stands in the list.
    /// </summary>
    public static (int Index, MeetingVoteRefusal Refusal)? CheckMeetingVotes(IReadOnlyList<MeetingVoteCast> votes)
    {
        for (var i = 0; i < votes.Count; i++)
        {
            if (!votes[i].HasVotingRight)
            {
                return (i, MeetingVoteRefusal.NoVotingRight);
            }
        }

        for (var i = 0; i < votes.Count; i++)
        {
            if (CheckMeetingVote(votes[i].HasVotingRight, votes[i].Presence, votes[i].ByDeputy) is { } refusal)
            {
                return (i, refusal);
            }
        }

        return null;
    }
}

/// <summary>A vote recorded for a meeting, with what the meeting knows of the member.</summary>
/// <param name="HasVotingRight">False also for someone who is no member of the steering group.</param>
public readonly record struct MeetingVoteCast(bool HasVotingRight, Presence Presence, bool? ByDeputy);

/// <summary>Why a vote recorded for a meeting is refused.</summary>
public enum MeetingVoteRefusal
{
    /// <summary>The vote is for someone who is not a voting member of the steering group.</summary>
    NoVotingRight,

    /// <summary>The member was neither present nor represented by the deputy.</summary>
    Absent,

    /// <summary>The vote is marked as cast by the deputy, but the member was present and votes in person.</summary>
    DeputyWhileMemberPresent,

    /// <summary>The vote is marked as the member's own, but the member was represented by the deputy, who votes.</summary>
    MemberRepresentedByDeputy,
}
