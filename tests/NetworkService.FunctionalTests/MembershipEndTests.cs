using System.Net;
using System.Text.Json;
using Kim.Contracts;
using Kim.ServiceDefaults.Security;

namespace Kim.NetworkService.FunctionalTests;

/// <summary>Ending a membership of the steering group (end of term, resignation ...): it stops counting from its end date and stays in the history.</summary>
[Collection(NetworkCollection.Name)]
public sealed class MembershipEndTests(NetworkServiceFixture service)
{
    private const string Members = "/api/network/steering/members";

    [Fact]
    public async Task An_ended_member_counts_until_the_end_date_then_neither_votes_nor_counts_for_quorum_and_stays_in_the_history()
    {
        var group = await service.SteeringGroupAsync();
        var client = group.Coordinator;
        if (TimeZoneInfo.ConvertTime(service.Clock.GetUtcNow(), LocalDay.Zone).Hour >= 22)
        {
            // The end date below is tomorrow: stay clear of midnight between computing it and the requests.
            service.Clock.Advance(TimeSpan.FromHours(3));
        }

        var before = (await HoldAsync(group, [])).GetProperty("votingMembers").GetInt32();
        var userD = "lg-d-" + Guid.NewGuid().ToString("N")[..6];
        var d = (await client.PostAsync(Members, new
        {
            organisationId = group.Organisations[1],
            name = "Beisitz MSO " + userD,
            userId = userD,
            userTenant = NetworkServiceFixture.CoordinatingTenant,
            hasVotingRight = true,
        })).Id();
        var memberD = service.ClientFor(KimRoles.SteeringMember, userD, NetworkServiceFixture.CoordinatingTenant);

        // A circular ballot started while D belongs to the group counts D among its eligible members.
        var circular = await group.TableAsync("Umlauf vor dem Ausscheiden");
        var started = await client.PostAsync($"/api/network/steering/motions/{circular}/circular", new { }, HttpStatusCode.OK);
        Assert.Equal(before + 1, started.GetProperty("circularEligible").GetInt32());

        // D resigns from tomorrow: today D still counts and is listed.
        var tomorrow = LocalDay.Today(service.Clock).AddDays(1);
        var ended = await client.PostAsync($"{Members}/{d}/end", new { endedOn = tomorrow, reason = "Resigned", note = "Nachfolge wird benannt" }, HttpStatusCode.OK);
        Assert.Equal(tomorrow.ToString("yyyy-MM-dd"), ended.Str("endedOn"));
        Assert.Equal("Resigned", ended.Str("endReason"));
        Assert.Equal("Nachfolge wird benannt", ended.Str("endNote"));
        Assert.Equal(before + 1, (await HoldAsync(group, [])).GetProperty("votingMembers").GetInt32());
        Assert.Contains((await client.GetJsonAsync(Members)).EnumerateArray(), m => m.Id() == d);
        Assert.Equal("Mitgliedschaft beendet", (await client.PostAsync($"{Members}/{d}/end", new { endedOn = tomorrow, reason = "TermEnded" }, HttpStatusCode.Conflict)).Str("title"));

        service.Clock.Advance(TimeSpan.FromDays(1));

        // From the end date on: no vote in the running ballot, no quorum, no attendance, no vote in a meeting.
        var refusedVote = await memberD.PostAsync($"/api/network/steering/motions/{circular}/circular/votes", new { choice = "No" }, HttpStatusCode.Forbidden);
        Assert.Equal("Mitgliedschaft beendet", refusedVote.Str("title"));
        foreach (var user in new[] { SteeringGroup.UserA, SteeringGroup.UserB, SteeringGroup.UserC })
        {
            await group.Member(user).PostAsync($"/api/network/steering/motions/{circular}/circular/votes", new { choice = "Yes" }, HttpStatusCode.OK);
        }

        Assert.Equal("Adopted", (await client.GetJsonAsync($"/api/network/steering/motions/{circular}")).Str("status"));

        var motion = await group.TableAsync("Beschluss nach dem Ausscheiden");
        var meeting = await group.PlanAsync([motion]);
        var attendance = await client.PutAsync($"/api/network/steering/meetings/{meeting}/attendance", new
        {
            attendance = new[] { new { memberId = group.A, presence = "Present" }, new { memberId = d, presence = "Present" } },
        }, HttpStatusCode.Conflict);
        Assert.Equal("Mitgliedschaft beendet", attendance.Str("title"));
        var held = await HoldAsync(group, [motion], meeting);
        Assert.Equal(before, held.GetProperty("votingMembers").GetInt32());
        await client.PostAsync($"/api/network/steering/motions/{motion}/votes", new
        {
            meetingId = meeting,
            votes = new[] { new { memberId = d, choice = "No" } },
        }, HttpStatusCode.Forbidden);
        var decided = await client.PostAsync($"/api/network/steering/motions/{motion}/votes", new
        {
            meetingId = meeting,
            votes = new[] { new { memberId = group.A, choice = "Yes" }, new { memberId = group.B, choice = "Yes" } },
        }, HttpStatusCode.OK);
        Assert.Equal("Adopted", decided.Str("status"));

        // Listed only in the history; no longer changed.
        Assert.DoesNotContain((await client.GetJsonAsync(Members)).EnumerateArray(), m => m.Id() == d);
        var history = (await client.GetJsonAsync($"{Members}?includeEnded=true")).EnumerateArray().Single(m => m.Id() == d);
        Assert.Equal("Resigned", history.Str("endReason"));
        Assert.Equal(tomorrow.ToString("yyyy-MM-dd"), history.Str("endedOn"));
        Assert.Contains((await client.GetJsonAsync($"{Members}?includeEnded=true")).EnumerateArray(), m => m.Id() == group.A);
        Assert.Equal("Mitgliedschaft beendet", (await client.PutAsync($"{Members}/{d}", new { hasVotingRight = true }, HttpStatusCode.Conflict)).Str("title"));
        var audit = await client.GetJsonAsync($"/api/network/steering/audit?subjectId={d}");
        Assert.Contains("steering.member-ended", audit.EnumerateArray().Select(a => a.Str("action")));
    }

    [Fact]
    public async Task Ending_a_membership_needs_a_date_not_in_the_past_and_a_reason_and_only_the_coordinating_office_ends_one()
    {
        var group = await service.SteeringGroupAsync();
        var client = group.Coordinator;
        var user = "lg-e-" + Guid.NewGuid().ToString("N")[..6];
        var member = (await client.PostAsync(Members, new
        {
            organisationId = group.Organisations[2],
            name = "Beisitz " + user,
            userId = user,
            userTenant = NetworkServiceFixture.CoordinatingTenant,
            hasVotingRight = false,
        })).Id();
        // Half past midnight in Berlin, when the UTC calendar still shows yesterday: "today" is the Berlin day.
        service.Clock.AdvanceToLocalTime(new TimeOnly(0, 30));
        var today = LocalDay.Today(service.Clock);

        var past = await client.PostAsync($"{Members}/{member}/end", new { endedOn = today.AddDays(-1), reason = "TermEnded" }, HttpStatusCode.BadRequest);
        Assert.True(past.GetProperty("errors").TryGetProperty("endedOn", out _));
        var noReason = await client.PostAsync($"{Members}/{member}/end", new { endedOn = today }, HttpStatusCode.BadRequest);
        Assert.True(noReason.GetProperty("errors").TryGetProperty("reason", out _));
        var other = await client.PostAsync($"{Members}/{member}/end", new { endedOn = today, reason = "Other" }, HttpStatusCode.BadRequest);
        Assert.True(other.GetProperty("errors").TryGetProperty("note", out _));
        await group.Member(SteeringGroup.UserA).PostAsync($"{Members}/{member}/end", new { endedOn = today, reason = "TermEnded" }, HttpStatusCode.Forbidden);
        await client.PostAsync($"{Members}/{Guid.NewGuid()}/end", new { endedOn = today, reason = "TermEnded" }, HttpStatusCode.NotFound);
        var unchanged = (await client.GetJsonAsync(Members)).EnumerateArray().Single(m => m.Id() == member);
        Assert.Equal(JsonValueKind.Null, unchanged.GetProperty("endedOn").ValueKind);

        // Ended today: gone from the current list at once.
        await client.PostAsync($"{Members}/{member}/end", new { endedOn = today, reason = "TermEnded" }, HttpStatusCode.OK);
        Assert.DoesNotContain((await client.GetJsonAsync(Members)).EnumerateArray(), m => m.Id() == member);
    }

    /// <summary>Plans (or takes) a meeting, records A and B present, and holds it.</summary>
    private static async Task<JsonElement> HoldAsync(SteeringGroup group, Guid[] motions, Guid? planned = null)
    {
        var meeting = planned ?? await group.PlanAsync(motions);
        await group.Coordinator.PutAsync($"/api/network/steering/meetings/{meeting}/attendance", new
        {
            attendance = new[] { new { memberId = group.A, presence = "Present" }, new { memberId = group.B, presence = "Present" } },
        });
        return await group.Coordinator.PostAsync($"/api/network/steering/meetings/{meeting}/hold", new { }, HttpStatusCode.OK);
    }
}
