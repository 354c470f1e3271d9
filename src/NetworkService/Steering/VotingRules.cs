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
}
