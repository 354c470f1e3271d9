namespace Kim.NetworkService.Steering;

public enum CircularResult
{
    /// <summary>Still open: the deadline has not passed and the outcome can still change.</summary>
    Open,
    Adopted,
    Rejected,

    /// <summary>Closed at the deadline without the required participation: not adopted.</summary>
    ParticipationQuorumMissed,
}

/// <summary>
/// When a circular ballot (Umlaufverfahren) closes and with what result. Pure: the caller passes the time.
/// </summary>
public static class CircularBallot
{
    /// <param name="eligible">Voting members at the start of the ballot.</param>
    /// <param name="tally">Votes cast so far (every eligible member at most once).</param>
    /// <param name="deadline">Votes are accepted while <c>now &lt; deadline</c>.</param>
    public static CircularResult Evaluate(MajorityRule rule, int participationPercent, int eligible, Tally tally, DateTime deadline, DateTime now)
    {
        // Stored data must never keep a ballot from closing: more votes than eligible members count as everyone voted.
        eligible = Math.Max(eligible, tally.Cast);
        var remaining = eligible - tally.Cast;
        var participation = VotingRules.ParticipationMet(eligible, tally.Cast, participationPercent);

        if (now >= deadline || remaining == 0)
        {
            if (!participation)
            {
                return CircularResult.ParticipationQuorumMissed;
            }

            return VotingRules.Decide(rule, tally) == VoteOutcome.Adopted ? CircularResult.Adopted : CircularResult.Rejected;
        }

        // Early close: adopted only if even all remaining members voting no cannot overturn it and participation is already met;
        // rejected if even all remaining members voting yes cannot carry it.
        var worst = tally with { No = tally.No + remaining };
        if (participation && VotingRules.Decide(rule, worst) == VoteOutcome.Adopted)
        {
            return CircularResult.Adopted;
        }

        var best = tally with { Yes = tally.Yes + remaining };
        if (VotingRules.Decide(rule, best) == VoteOutcome.Rejected)
        {
            return CircularResult.Rejected;
        }

        return CircularResult.Open;
    }

    /// <summary>A vote counts only when it arrives before the deadline.</summary>
    public static bool AcceptsVotes(DateTime deadline, DateTime now) => now < deadline;

    /// <summary>
    /// Who may vote (and object) is fixed when the ballot starts: the voting members of that moment. A member who gains
    /// the voting right later takes part from the next ballot on.
    /// </summary>
    public static bool IsEligible(IReadOnlyCollection<Guid> eligibleAtStart, Guid memberId) => eligibleAtStart.Contains(memberId);
}
