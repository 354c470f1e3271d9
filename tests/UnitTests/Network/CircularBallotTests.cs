using Kim.NetworkService.Steering;

namespace Kim.UnitTests.Network;

public sealed class CircularBallotTests
{
    private static readonly DateTime Deadline = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Before = Deadline.AddHours(-1);

    [Theory]
    // rule, participation %, eligible, yes, no, abstain, result before the deadline
    [InlineData(MajorityRule.Simple, 50, 5, 1, 0, 0, CircularResult.Open)]
    [InlineData(MajorityRule.Simple, 50, 5, 2, 0, 0, CircularResult.Open)] // 3 outstanding could still vote no
    [InlineData(MajorityRule.Simple, 50, 5, 3, 0, 0, CircularResult.Adopted)] // 3 yes beat 2 possible no
    [InlineData(MajorityRule.Simple, 50, 5, 0, 3, 0, CircularResult.Rejected)] // 2 outstanding yes cannot beat 3 no
    [InlineData(MajorityRule.Simple, 50, 4, 2, 0, 0, CircularResult.Open)] // 2:2 tie still possible
    [InlineData(MajorityRule.Simple, 50, 4, 0, 2, 0, CircularResult.Rejected)] // at best a 2:2 tie, which rejects
    [InlineData(MajorityRule.Simple, 80, 5, 3, 0, 0, CircularResult.Open)] // outcome fixed, but participation not yet met
    [InlineData(MajorityRule.Simple, 80, 5, 3, 0, 1, CircularResult.Adopted)]
    [InlineData(MajorityRule.TwoThirds, 50, 6, 4, 0, 0, CircularResult.Adopted)] // 4 of at most 6
    [InlineData(MajorityRule.TwoThirds, 50, 6, 3, 0, 0, CircularResult.Open)]
    [InlineData(MajorityRule.TwoThirds, 50, 6, 0, 3, 0, CircularResult.Rejected)] // at best 3:3
    [InlineData(MajorityRule.Consensus, 50, 3, 2, 0, 0, CircularResult.Open)] // the last member could still say no
    [InlineData(MajorityRule.Consensus, 50, 3, 0, 1, 0, CircularResult.Rejected)] // one no blocks at once
    public void Closes_early_only_when_the_outcome_cannot_change(
        MajorityRule rule, int participation, int eligible, int yes, int no, int abstain, CircularResult expected) =>
        Assert.Equal(expected, CircularBallot.Evaluate(rule, participation, eligible, new Tally(yes, no, abstain), Deadline, Before));

    [Theory]
    [InlineData(MajorityRule.Simple, 50, 5, 2, 1, 0, CircularResult.Adopted)]
    [InlineData(MajorityRule.Simple, 50, 5, 1, 1, 1, CircularResult.Rejected)] // tie
    [InlineData(MajorityRule.Simple, 50, 5, 2, 0, 0, CircularResult.ParticipationQuorumMissed)] // 2 of 5 is below half
    [InlineData(MajorityRule.Simple, 50, 4, 2, 0, 0, CircularResult.Adopted)] // 2 of 4 is half
    [InlineData(MajorityRule.Simple, 50, 5, 0, 0, 0, CircularResult.ParticipationQuorumMissed)]
    [InlineData(MajorityRule.Simple, 60, 5, 1, 0, 2, CircularResult.Adopted)] // abstentions are participation
    [InlineData(MajorityRule.TwoThirds, 50, 6, 2, 1, 0, CircularResult.Adopted)]
    [InlineData(MajorityRule.Consensus, 50, 4, 3, 0, 0, CircularResult.Adopted)]
    public void At_the_deadline_the_votes_cast_decide(
        MajorityRule rule, int participation, int eligible, int yes, int no, int abstain, CircularResult expected)
    {
        Assert.Equal(expected, CircularBallot.Evaluate(rule, participation, eligible, new Tally(yes, no, abstain), Deadline, Deadline));
        Assert.Equal(expected, CircularBallot.Evaluate(rule, participation, eligible, new Tally(yes, no, abstain), Deadline, Deadline.AddDays(3)));
    }

    [Fact]
    public void When_everyone_voted_the_ballot_closes_before_the_deadline() =>
        Assert.Equal(CircularResult.Rejected,
            CircularBallot.Evaluate(MajorityRule.Simple, 50, 4, new Tally(2, 2, 0), Deadline, Before));

    [Fact]
    public void Votes_are_accepted_until_just_before_the_deadline()
    {
        Assert.True(CircularBallot.AcceptsVotes(Deadline, Deadline.AddTicks(-1)));
        Assert.False(CircularBallot.AcceptsVotes(Deadline, Deadline));
        Assert.False(CircularBallot.AcceptsVotes(Deadline, Deadline.AddMinutes(1)));
    }
}
