using BenchmarkDotNet.Attributes;
using Kim.NetworkService.Steering;

namespace Kim.DomainBench;

/// <summary>
/// A year of steering-group decisions: 100 motions under rotating majority rules, 70 voted in ten meetings (attendance,
/// quorum, each vote's presence and admissibility, tally, majority) and 30 by circular ballot (eligibility of each vote,
/// the ballot evaluated after every vote from the votes so far, closing early when the outcome cannot change), as the
/// NetworkService calls <see cref="VotingRules"/> and <see cref="CircularBallot"/>. A group of 9 voting members against 20.
/// </summary>
[MemoryDiagnoser]
public class VotingBenchmarks
{
    private static readonly DateTime Start = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
    private Year small = null!;
    private Year large = null!;

    [GlobalSetup]
    public void Setup()
    {
        small = Year.Of(9, 100);
        large = Year.Of(20, 100);
    }

    [Benchmark(Baseline = true, Description = "voting-9x100")]
    public int Small() => Decide(small);

    [Benchmark(Description = "voting-20x100")]
    public int Large() => Decide(large);

    private static int Decide(Year year)
    {
        var adopted = 0;
        foreach (var meeting in year.Meetings)
        {
            var present = year.Members.Count(m => m.CanVote && VotingRules.PresenceOf(meeting.Attendance, m.Id) != Presence.Absent);
            if (!VotingRules.IsQuorate(year.Members.Count(m => m.CanVote), present, 50))
            {
                continue;
            }

            foreach (var motion in meeting.Motions)
            {
                var presence = motion.Votes.Select(v => VotingRules.PresenceOf(meeting.Attendance, v.MemberId)).ToList();
                var casts = motion.Votes.Select((v, i) => new MeetingVoteCast(year.CanVote(v.MemberId), presence[i], v.ByDeputy)).ToList();
                if (VotingRules.CheckMeetingVotes(casts) is not null)
                {
                    continue;
                }

                var tally = Tally.Of(motion.Votes.Select(v => v.Choice));
                if (VotingRules.Decide(motion.Rule, tally) == VoteOutcome.Adopted)
                {
                    adopted++;
                }
            }
        }

        foreach (var ballot in year.Ballots)
        {
            var choices = new List<VoteChoice>(ballot.Votes.Count);
            for (var i = 0; i < ballot.Votes.Count; i++)
            {
                var vote = ballot.Votes[i];
                var now = Start.AddHours(i);
                if (!CircularBallot.IsEligible(ballot.Eligible, vote.MemberId) || !CircularBallot.AcceptsVotes(ballot.Deadline, now))
                {
                    continue;
                }

                choices.Add(vote.Choice);
                var result = CircularBallot.Evaluate(ballot.Rule, 50, ballot.Eligible.Count, Tally.Of(choices), ballot.Deadline, now);
                if (result != CircularResult.Open)
                {
                    adopted += result == CircularResult.Adopted ? 1 : 0;
                    break;
                }
            }
        }

        return adopted;
    }

    private sealed record Member(Guid Id, bool CanVote);

    private sealed record MeetingVote(Guid MemberId, VoteChoice Choice, bool? ByDeputy);

    private sealed record MeetingMotion(MajorityRule Rule, List<MeetingVote> Votes);

    private sealed record Meeting(List<Attendance> Attendance, List<MeetingMotion> Motions);

    private sealed record Ballot(MajorityRule Rule, List<Guid> Eligible, List<MeetingVote> Votes, DateTime Deadline);

    private sealed record Year(List<Member> Members, List<Meeting> Meetings, List<Ballot> Ballots)
    {
        private readonly Dictionary<Guid, bool> voting = Members.ToDictionary(m => m.Id, m => m.CanVote);

        public bool CanVote(Guid memberId) => voting.GetValueOrDefault(memberId);

        /// <summary>Seeded: the same group and votes in every run; seven motions per meeting, the rest by circular ballot.</summary>
        public static Year Of(int votingMembers, int motions)
        {
            var random = new Random(votingMembers);
            Guid Id()
            {
                var bytes = new byte[16];
                random.NextBytes(bytes);
                return new Guid(bytes);
            }

            var members = Enumerable.Range(0, votingMembers).Select(_ => new Member(Id(), true))
                .Concat(Enumerable.Range(0, 3).Select(_ => new Member(Id(), false))).ToList();
            var rules = Enum.GetValues<MajorityRule>();
            VoteChoice Choice() => random.Next(10) switch { < 6 => VoteChoice.Yes, < 8 => VoteChoice.No, _ => VoteChoice.Abstain };

            var meetingMotions = motions * 7 / 10;
            var meetings = new List<Meeting>();
            for (var m = 0; m < meetingMotions / 7; m++)
            {
                var attendance = members.Select(member => new Attendance(member.Id, random.Next(10) switch
                {
                    < 8 => Presence.Present,
                    8 => Presence.RepresentedByDeputy,
                    _ => Presence.Absent,
                })).ToList();
                var agenda = Enumerable.Range(0, 7).Select(i => new MeetingMotion(rules[(m + i) % rules.Length], [.. attendance
                    .Where(a => a.Presence != Presence.Absent && members.Single(x => x.Id == a.MemberId).CanVote)
                    .Select(a => new MeetingVote(a.MemberId, Choice(), a.Presence == Presence.RepresentedByDeputy ? true : null))])).ToList();
                meetings.Add(new Meeting(attendance, agenda));
            }

            var eligible = members.Where(m => m.CanVote).Select(m => m.Id).ToList();
            var ballots = Enumerable.Range(0, motions - meetingMotions).Select(b => new Ballot(
                rules[b % rules.Length],
                eligible,
                [.. eligible.OrderBy(_ => random.Next()).Select(id => new MeetingVote(id, Choice(), null))],
                Start.AddDays(14))).ToList();
            return new Year(members, meetings, ballots);
        }
    }
}
