using Kim.NetworkService.Steering;

namespace Kim.UnitTests.Network;

public sealed class VotingRulesTests
{
    [Theory]
    // votingMembers, present, quorumPercent, quorate
    [InlineData(10, 5, 50, true)]
    [InlineData(10, 4, 50, false)]
    [InlineData(9, 5, 50, true)]
    [InlineData(9, 4, 50, false)]
    [InlineData(3, 2, 51, true)]
    [InlineData(4, 2, 51, false)]
    [InlineData(4, 3, 51, true)]
    [InlineData(6, 4, 67, false)]
    [InlineData(6, 5, 67, true)]
    [InlineData(3, 2, 67, false)]
    [InlineData(3, 3, 100, true)]
    [InlineData(3, 2, 100, false)]
    [InlineData(5, 1, 1, true)]
    [InlineData(5, 0, 1, false)]
    [InlineData(0, 0, 50, false)]
    public void Quorum_is_the_share_of_voting_members_present(int votingMembers, int present, int quorumPercent, bool quorate) =>
        Assert.Equal(quorate, VotingRules.IsQuorate(votingMembers, present, quorumPercent));

    [Fact]
    public void More_present_than_members_is_a_programming_error() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => VotingRules.IsQuorate(3, 4, 50));

    [Theory]
    // yes, no, abstentions, adopted
    [InlineData(3, 2, 0, true)]
    [InlineData(2, 2, 0, false)] // tie rejects
    [InlineData(2, 2, 5, false)] // abstentions do not break a tie
    [InlineData(1, 0, 9, true)] // abstentions count neither way
    [InlineData(0, 0, 5, false)] // only abstentions: no majority
    [InlineData(0, 0, 0, false)]
    [InlineData(2, 3, 0, false)]
    [InlineData(4, 3, 10, true)]
    public void Simple_majority_needs_more_yes_than_no(int yes, int no, int abstentions, bool adopted) =>
        Assert.Equal(adopted ? VoteOutcome.Adopted : VoteOutcome.Rejected, VotingRules.Decide(MajorityRule.Simple, new Tally(yes, no, abstentions)));

    [Theory]
    [InlineData(2, 1, 0, true)] // exactly two thirds is enough
    [InlineData(4, 2, 0, true)]
    [InlineData(6, 3, 3, true)]
    [InlineData(3, 2, 0, false)] // 60 %
    [InlineData(5, 3, 0, false)] // 62.5 %
    [InlineData(7, 4, 0, false)] // 63.6 %
    [InlineData(7, 3, 0, true)]
    [InlineData(1, 0, 0, true)]
    [InlineData(1, 0, 8, true)] // abstentions are not counted
    [InlineData(0, 0, 3, false)]
    [InlineData(0, 0, 0, false)]
    [InlineData(66, 34, 0, false)] // 66 % is less than two thirds
    [InlineData(67, 33, 0, true)]
    public void Two_thirds_majority_counts_yes_against_yes_and_no(int yes, int no, int abstentions, bool adopted) =>
        Assert.Equal(adopted ? VoteOutcome.Adopted : VoteOutcome.Rejected, VotingRules.Decide(MajorityRule.TwoThirds, new Tally(yes, no, abstentions)));

    [Theory]
    [InlineData(5, 0, 0, true)]
    [InlineData(1, 0, 4, true)] // abstaining does not block consensus
    [InlineData(5, 1, 0, false)] // one no blocks
    [InlineData(0, 0, 5, false)] // nobody in favour
    [InlineData(0, 0, 0, false)]
    public void Consensus_needs_yes_and_no_objection(int yes, int no, int abstentions, bool adopted) =>
        Assert.Equal(adopted ? VoteOutcome.Adopted : VoteOutcome.Rejected, VotingRules.Decide(MajorityRule.Consensus, new Tally(yes, no, abstentions)));

    [Fact]
    public void A_tally_counts_each_choice()
    {
        var tally = Tally.Of([VoteChoice.Yes, VoteChoice.No, VoteChoice.Abstain, VoteChoice.Yes]);

        Assert.Equal(new Tally(2, 1, 1), tally);
        Assert.Equal(4, tally.Cast);
    }

    [Theory]
    // eligible, cast, participationPercent, met
    [InlineData(10, 5, 50, true)]
    [InlineData(10, 4, 50, false)]
    [InlineData(7, 4, 50, true)]
    [InlineData(7, 3, 50, false)]
    [InlineData(3, 0, 1, false)]
    [InlineData(3, 3, 100, true)]
    public void Participation_quorum_counts_every_cast_vote_including_abstentions(int eligible, int cast, int percent, bool met) =>
        Assert.Equal(met, VotingRules.ParticipationMet(eligible, cast, percent));
}
