using Kim.NetworkService.Steering;

namespace Kim.UnitTests.Network;

/// <summary>Who may vote: in a meeting (voting right, presence, deputy) and in a circular ballot (eligible at its start).</summary>
public sealed class VoteEligibilityTests
{
    private static readonly DateTime Deadline = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    // hasVotingRight, presence, byDeputy, refusal (null: admissible)
    [InlineData(true, Presence.Present, null, null)]
    [InlineData(true, Presence.Present, false, null)]
    [InlineData(true, Presence.Present, true, MeetingVoteRefusal.DeputyWhileMemberPresent)]
    [InlineData(true, Presence.RepresentedByDeputy, null, null)]
    [InlineData(true, Presence.RepresentedByDeputy, true, null)]
    [InlineData(true, Presence.RepresentedByDeputy, false, MeetingVoteRefusal.MemberRepresentedByDeputy)]
    [InlineData(true, Presence.Absent, null, MeetingVoteRefusal.Absent)]
    [InlineData(true, Presence.Absent, true, MeetingVoteRefusal.Absent)]
    [InlineData(false, Presence.Present, null, MeetingVoteRefusal.NoVotingRight)]
    [InlineData(false, Presence.Absent, true, MeetingVoteRefusal.NoVotingRight)]
    public void A_meeting_vote_is_cast_by_a_voting_member_in_person_or_by_the_deputy_for_an_absent_member(
        bool hasVotingRight, Presence presence, bool? byDeputy, MeetingVoteRefusal? refusal) =>
        Assert.Equal(refusal, VotingRules.CheckMeetingVote(hasVotingRight, presence, byDeputy));

    [Theory]
    [InlineData(Presence.Present, false)]
    [InlineData(Presence.RepresentedByDeputy, true)]
    public void A_vote_counts_as_the_deputys_exactly_when_the_member_was_represented(Presence presence, bool byDeputy) =>
        Assert.Equal(byDeputy, VotingRules.CastByDeputy(presence));

    [Fact]
    public void A_member_missing_from_the_attendance_list_was_absent()
    {
        var present = Guid.NewGuid();
        var represented = Guid.NewGuid();
        List<Attendance> attendance = [new(present, Presence.Present), new(represented, Presence.RepresentedByDeputy)];

        Assert.Equal(Presence.Present, VotingRules.PresenceOf(attendance, present));
        Assert.Equal(Presence.RepresentedByDeputy, VotingRules.PresenceOf(attendance, represented));
        Assert.Equal(Presence.Absent, VotingRules.PresenceOf(attendance, Guid.NewGuid()));
    }

    [Fact]
    public void A_vote_for_someone_without_voting_right_is_named_before_any_other_refusal()
    {
        MeetingVoteCast[] votes =
        [
            new(true, Presence.Present, null),
            new(true, Presence.Absent, null),
            new(false, Presence.Present, null),
        ];

        Assert.Equal((2, MeetingVoteRefusal.NoVotingRight), VotingRules.CheckMeetingVotes(votes));
        Assert.Equal((1, MeetingVoteRefusal.Absent), VotingRules.CheckMeetingVotes(votes[..2]));
        Assert.Null(VotingRules.CheckMeetingVotes([new(true, Presence.Present, false), new(true, Presence.RepresentedByDeputy, true)]));
    }

    [Fact]
    public void Only_the_voting_members_at_the_start_of_a_circular_ballot_are_eligible()
    {
        var atStart = Guid.NewGuid();
        var later = Guid.NewGuid();

        Assert.True(CircularBallot.IsEligible([atStart, Guid.NewGuid()], atStart));
        Assert.False(CircularBallot.IsEligible([atStart, Guid.NewGuid()], later));
        Assert.False(CircularBallot.IsEligible([], later));
    }

    [Theory]
    // eligible, yes, no, abstain, result: stored ballots with more votes than eligible members still close
    [InlineData(3, 3, 1, 0, CircularResult.Adopted)]
    [InlineData(3, 1, 3, 0, CircularResult.Rejected)]
    [InlineData(0, 1, 0, 0, CircularResult.Adopted)]
    [InlineData(0, 0, 0, 0, CircularResult.ParticipationQuorumMissed)]
    public void A_ballot_with_more_votes_than_eligible_members_closes_instead_of_failing(int eligible, int yes, int no, int abstain, CircularResult expected)
    {
        Assert.Equal(expected, CircularBallot.Evaluate(MajorityRule.Simple, 50, eligible, new Tally(yes, no, abstain), Deadline, Deadline.AddHours(-1)));
        Assert.Equal(expected, CircularBallot.Evaluate(MajorityRule.Simple, 50, eligible, new Tally(yes, no, abstain), Deadline, Deadline));
    }
}
