using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Security;
using Kim.Testing;

namespace Kim.NetworkService.FunctionalTests;

[Collection(NetworkCollection.Name)]
public sealed class CircularResolutionTests(NetworkServiceFixture service)
{
    [Fact]
    public async Task A_circular_ballot_closes_as_soon_as_the_outcome_is_certain_and_publishes_the_resolution()
    {
        var group = await service.SteeringGroupAsync();
        await using var probe = await AmqpProbe.BindAsync(service.MessagingUri, "Kim.Contracts.Network:ResolutionAdopted");
        var motion = await group.TableAsync("Umlaufbeschluss Sprachkurse");
        var started = await group.Coordinator.PostAsync($"/api/network/steering/motions/{motion}/circular", new { }, HttpStatusCode.OK);
        Assert.Equal("CircularBallot", started.Str("status"));
        Assert.Equal(3, started.GetProperty("circularEligible").GetInt32());
        var expectedDeadline = service.Clock.GetUtcNow().UtcDateTime.AddDays(7);
        Assert.InRange(started.GetProperty("circularDeadline").GetDateTime(), expectedDeadline.AddMinutes(-1), expectedDeadline.AddMinutes(1));

        var first = await group.Member(SteeringGroup.UserA).PostAsync($"/api/network/steering/motions/{motion}/circular/votes", new { choice = "Yes" }, HttpStatusCode.OK);
        Assert.Equal("CircularBallot", first.Str("status"));
        var again = await group.Member(SteeringGroup.UserA).PostAsync($"/api/network/steering/motions/{motion}/circular/votes", new { choice = "No" }, HttpStatusCode.Conflict);
        Assert.Equal("Bereits abgestimmt", again.Str("title"));
        var second = await group.Member(SteeringGroup.UserB).PostAsync($"/api/network/steering/motions/{motion}/circular/votes", new { choice = "Yes" }, HttpStatusCode.OK);

        // 2 yes of 3: even a no from C cannot overturn it, and 2 of 3 meet the 50 % participation quorum.
        Assert.Equal("Adopted", second.Str("status"));
        Assert.Equal("Circular", second.Str("procedure"));
        var number = second.Str("registerNumber");
        var late = await group.Member(SteeringGroup.UserC).PostAsync($"/api/network/steering/motions/{motion}/circular/votes", new { choice = "No" }, HttpStatusCode.Conflict);
        Assert.Equal("Kein laufendes Umlaufverfahren", late.Str("title"));
        var published = await probe.NextContainingAsync(number);
        Assert.Equal("Circular", published.GetProperty("procedure").EnumName<Kim.Contracts.Network.ResolutionProcedure>());
        Assert.Equal(2, published.GetProperty("yes").GetInt32());
        Assert.Equal(motion, published.GetProperty("resolutionId").GetGuid());
    }

    [Fact]
    public async Task Votes_after_the_deadline_are_refused_and_the_participation_quorum_decides()
    {
        var group = await service.SteeringGroupAsync();
        var motion = await group.TableAsync("Umlaufbeschluss mit kurzer Frist");
        var deadline = service.Clock.GetUtcNow().UtcDateTime.AddHours(1);
        await group.Coordinator.PostAsync($"/api/network/steering/motions/{motion}/circular", new { deadline }, HttpStatusCode.OK);
        await group.Member(SteeringGroup.UserA).PostAsync($"/api/network/steering/motions/{motion}/circular/votes", new { choice = "Yes" }, HttpStatusCode.OK);

        service.Clock.Advance(TimeSpan.FromHours(2));
        var late = await group.Member(SteeringGroup.UserB).PostAsync($"/api/network/steering/motions/{motion}/circular/votes", new { choice = "Yes" }, HttpStatusCode.Conflict);

        Assert.Equal("Frist abgelaufen", late.Str("title"));
        var closed = await group.Coordinator.GetJsonAsync($"/api/network/steering/motions/{motion}");
        Assert.Equal("Rejected", closed.Str("status"));
        Assert.Equal("ParticipationQuorumMissed", closed.Str("circularResult"));
        Assert.Single(closed.GetProperty("votes").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, closed.GetProperty("registerNumber").ValueKind);
    }

    [Fact]
    public async Task Coordinators_manage_and_steering_members_vote_but_not_the_other_way_round()
    {
        var group = await service.SteeringGroupAsync();
        var motions = (await group.Coordinator.GetJsonAsync("/api/network/steering/motions")).GetArrayLength();

        var tabledByMember = await group.Member(SteeringGroup.UserA).PostAsJsonAsync("/api/network/steering/motions",
            new { title = "Antrag eines Mitglieds", kind = "General", isBinding = true });
        var organisationByMember = await group.Member(SteeringGroup.UserA).PostAsJsonAsync("/api/network/organisations",
            new { name = "Verein " + Guid.NewGuid().ToString("N")[..6], type = "MigrantOrganisation" });

        Assert.Equal(HttpStatusCode.Forbidden, tabledByMember.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, organisationByMember.StatusCode);
        Assert.Equal(ProblemTypes.Forbidden, (await tabledByMember.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("type").GetString());
        Assert.Equal(motions, (await group.Member(SteeringGroup.UserA).GetJsonAsync("/api/network/steering/motions")).GetArrayLength());
    }

    [Fact]
    public async Task Only_voting_members_take_part_in_a_circular_ballot()
    {
        var group = await service.SteeringGroupAsync();
        var motion = await group.TableAsync("Umlaufbeschluss nur für Mitglieder");
        await group.Coordinator.PostAsync($"/api/network/steering/motions/{motion}/circular", new { }, HttpStatusCode.OK);

        var coordinator = await group.Coordinator.PostAsync($"/api/network/steering/motions/{motion}/circular/votes", new { choice = "Yes" }, HttpStatusCode.Forbidden);
        var withoutVote = await group.Member(SteeringGroup.UserWithoutVote).PostAsync($"/api/network/steering/motions/{motion}/circular/votes", new { choice = "Yes" }, HttpStatusCode.Forbidden);
        var caseManager = service.ClientFor(KimRoles.CaseManager, SteeringGroup.UserC);
        var reader = await caseManager.PostAsJsonAsync($"/api/network/steering/motions/{motion}/circular/votes", new { choice = "Yes" });

        Assert.Equal(ProblemTypes.Forbidden, coordinator.Str("type"));
        Assert.Equal("Kein stimmberechtigtes Mitglied", withoutVote.Str("title"));
        Assert.Equal(HttpStatusCode.Forbidden, reader.StatusCode);
        Assert.Empty((await group.Coordinator.GetJsonAsync($"/api/network/steering/motions/{motion}")).GetProperty("votes").EnumerateArray());
    }

    [Fact]
    public async Task An_objection_stops_the_ballot_and_puts_the_motion_on_the_next_meeting()
    {
        var group = await service.SteeringGroupAsync();
        var motion = await group.TableAsync("Umlaufbeschluss mit Widerspruch");
        var meeting = await group.PlanAsync([], TimeSpan.FromDays(30));
        await group.Coordinator.PostAsync($"/api/network/steering/motions/{motion}/circular", new { }, HttpStatusCode.OK);
        await group.Member(SteeringGroup.UserA).PostAsync($"/api/network/steering/motions/{motion}/circular/votes", new { choice = "Yes" }, HttpStatusCode.OK);

        var objected = await group.Member(SteeringGroup.UserC).PostAsync($"/api/network/steering/motions/{motion}/circular/objection",
            new { reason = "Bedarf der Aussprache in der Sitzung" }, HttpStatusCode.OK);

        Assert.Equal("Tabled", objected.Str("status"));
        Assert.Equal(meeting, objected.GetProperty("meetingId").GetGuid());
        var planned = await group.Coordinator.GetJsonAsync($"/api/network/steering/meetings/{meeting}");
        Assert.Contains(planned.GetProperty("agenda").EnumerateArray(), a => a.GetProperty("referenceId").GetGuid() == motion);
        await group.Member(SteeringGroup.UserB).PostAsync($"/api/network/steering/motions/{motion}/circular/votes", new { choice = "Yes" }, HttpStatusCode.Conflict);
        var restart = await group.Coordinator.PostAsync($"/api/network/steering/motions/{motion}/circular", new { }, HttpStatusCode.Conflict);
        Assert.Equal("Umlaufverfahren widersprochen", restart.Str("title"));
        Assert.Empty((await group.Coordinator.GetJsonAsync($"/api/network/steering/motions/{motion}")).GetProperty("votes").EnumerateArray());
        await group.Coordinator.PostAsync($"/api/network/steering/meetings/{meeting}/cancel", new { reason = "Testende" }, HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_ballot_nobody_touches_closes_at_its_deadline_and_the_result_is_published()
    {
        var group = await service.SteeringGroupAsync();
        await using var probe = await AmqpProbe.BindAsync(service.MessagingUri, "Kim.Contracts.Network:ResolutionAdopted");
        var motion = await group.TableAsync("Umlaufbeschluss ohne weitere Stimmen");
        await group.Coordinator.PostAsync($"/api/network/steering/motions/{motion}/circular",
            new { deadline = service.Clock.GetUtcNow().UtcDateTime.AddHours(1) }, HttpStatusCode.OK);
        await group.Member(SteeringGroup.UserA).PostAsync($"/api/network/steering/motions/{motion}/circular/votes", new { choice = "Yes" }, HttpStatusCode.OK);
        var open = await group.Member(SteeringGroup.UserB).PostAsync($"/api/network/steering/motions/{motion}/circular/votes", new { choice = "Abstain" }, HttpStatusCode.OK);
        Assert.Equal("CircularBallot", open.Str("status")); // a no from C would still tie it

        service.Clock.Advance(TimeSpan.FromHours(1));

        // Closed by the background sweep: 2 of 3 took part, 1 yes against 0 no.
        var published = await probe.NextContainingAsync(motion.ToString());
        Assert.Equal(1, published.GetProperty("yes").GetInt32());
        Assert.Equal(1, published.GetProperty("abstentions").GetInt32());
        var closed = await group.Coordinator.GetJsonAsync($"/api/network/steering/motions/{motion}");
        Assert.Equal("Adopted", closed.Str("status"));
        Assert.Equal("Adopted", closed.Str("circularResult"));
    }

    [Fact]
    public async Task Simultaneous_votes_decide_the_ballot_exactly_once()
    {
        var group = await service.SteeringGroupAsync();
        await using var probe = await AmqpProbe.BindAsync(service.MessagingUri, "Kim.Contracts.Network:ResolutionAdopted");
        var motion = await group.TableAsync("Umlaufbeschluss mit gleichzeitigen Stimmen");
        await group.Coordinator.PostAsync($"/api/network/steering/motions/{motion}/circular", new { }, HttpStatusCode.OK);
        var url = $"/api/network/steering/motions/{motion}/circular/votes";

        var responses = await Task.WhenAll(new[] { SteeringGroup.UserA, SteeringGroup.UserB, SteeringGroup.UserC }
            .Select(user => group.Member(user).PostAsJsonAsync(url, new { choice = "Yes" })));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, r.StatusCode.ToString()));
        var decided = await group.Coordinator.GetJsonAsync($"/api/network/steering/motions/{motion}");
        Assert.Equal("Adopted", decided.Str("status"));
        var published = await probe.NextContainingAsync(motion.ToString());
        Assert.Equal(decided.Str("registerNumber"), published.Str("registerNumber"));
        await Assert.ThrowsAsync<TimeoutException>(() => probe.NextContainingAsync(motion.ToString(), TimeSpan.FromSeconds(3)));
        var register = await group.Coordinator.GetJsonAsync("/api/network/steering/resolutions");
        Assert.Single(register.EnumerateArray(), r => r.Str("registerNumber") == decided.Str("registerNumber"));
    }

    [Fact]
    public async Task A_member_given_a_voting_right_during_a_ballot_cannot_vote_in_it_and_the_ballot_still_closes()
    {
        var group = await service.SteeringGroupAsync();
        var motion = await group.TableAsync("Umlaufbeschluss, neues Mitglied während der Frist");
        var started = await group.Coordinator.PostAsync($"/api/network/steering/motions/{motion}/circular", new { }, HttpStatusCode.OK);
        Assert.Equal(3, started.GetProperty("circularEligible").GetInt32());
        var lateUser = "lg-spaet-" + Guid.NewGuid().ToString("N")[..6];
        var late = (await group.Coordinator.PostAsync("/api/network/steering/members",
            new { organisationId = group.Organisations[1], name = "Neues Mitglied", userId = lateUser, userTenant = SteeringGroup.TenantOf(lateUser), hasVotingRight = true })).Id();
        try
        {
            var refused = await group.Member(lateUser).PostAsync($"/api/network/steering/motions/{motion}/circular/votes", new { choice = "No" }, HttpStatusCode.Forbidden);
            var objection = await group.Member(lateUser).PostAsync($"/api/network/steering/motions/{motion}/circular/objection",
                new { reason = "Neu dabei" }, HttpStatusCode.Forbidden);

            Assert.Equal(ProblemTypes.Forbidden, refused.Str("type"));
            Assert.Equal("Nicht stimmberechtigt", refused.Str("title"));
            Assert.Contains("Beginn des Umlaufverfahrens", refused.Str("detail"), StringComparison.Ordinal);
            Assert.Equal("Nicht stimmberechtigt", objection.Str("title"));
            var unchanged = await group.Coordinator.GetJsonAsync($"/api/network/steering/motions/{motion}");
            Assert.Equal("CircularBallot", unchanged.Str("status"));
            Assert.Empty(unchanged.GetProperty("votes").EnumerateArray());

            await group.Member(SteeringGroup.UserA).PostAsync($"/api/network/steering/motions/{motion}/circular/votes", new { choice = "Yes" }, HttpStatusCode.OK);
            var tie = await group.Member(SteeringGroup.UserB).PostAsync($"/api/network/steering/motions/{motion}/circular/votes", new { choice = "No" }, HttpStatusCode.OK);
            Assert.Equal("CircularBallot", tie.Str("status"));
            var closed = await group.Member(SteeringGroup.UserC).PostAsync($"/api/network/steering/motions/{motion}/circular/votes", new { choice = "Yes" }, HttpStatusCode.OK);

            Assert.Equal("Adopted", closed.Str("status"));
            Assert.Equal("Adopted", closed.Str("circularResult"));
            Assert.Equal((2, 1, 0), (closed.GetProperty("yes").GetInt32(), closed.GetProperty("no").GetInt32(), closed.GetProperty("abstentions").GetInt32()));
            Assert.Equal(3, closed.GetProperty("circularEligible").GetInt32());
            Assert.Equal(new[] { group.A, group.B, group.C }.Order(), closed.GetProperty("votes").EnumerateArray().Select(v => v.GetProperty("memberId").GetGuid()).Order());
            Assert.Matches(@"^LG-\d{4}-\d{2,}$", closed.Str("registerNumber"));
        }
        finally
        {
            await group.Coordinator.PutAsync($"/api/network/steering/members/{late}", new { hasVotingRight = false });
        }
    }

    [Fact]
    public async Task Reading_a_ballot_whose_deadline_passed_shows_the_result_and_writes_nothing()
    {
        var group = await service.SteeringGroupAsync();
        var motion = await group.TableAsync("Umlaufbeschluss, nach der Frist gelesen");
        await group.Coordinator.PostAsync($"/api/network/steering/motions/{motion}/circular",
            new { deadline = service.Clock.GetUtcNow().UtcDateTime.AddHours(1) }, HttpStatusCode.OK);
        await group.Member(SteeringGroup.UserA).PostAsync($"/api/network/steering/motions/{motion}/circular/votes", new { choice = "Yes" }, HttpStatusCode.OK);
        await group.Member(SteeringGroup.UserB).PostAsync($"/api/network/steering/motions/{motion}/circular/votes", new { choice = "Abstain" }, HttpStatusCode.OK);
        var path = $"/api/network/steering/motions/{motion}";

        service.Clock.Advance(TimeSpan.FromHours(1));
        var shown = await group.Coordinator.GetJsonAsync(path);

        // The recorder sees writes (the votes were two), and the GET made none.
        Assert.NotEmpty(service.Writes.By("POST", $"{path}/circular/votes"));
        Assert.Empty(service.Writes.By("GET", path));
        Assert.Equal("Adopted", shown.Str("status"));
        Assert.Equal("Adopted", shown.Str("circularResult"));
        Assert.Equal((1, 0, 1), (shown.GetProperty("yes").GetInt32(), shown.GetProperty("no").GetInt32(), shown.GetProperty("abstentions").GetInt32()));
        // The closer records the result and gives the resolution its number.
        var recorded = default(JsonElement);
        await Eventually.TrueAsync(async () =>
            (recorded = await group.Coordinator.GetJsonAsync(path)).GetProperty("registerNumber").ValueKind == JsonValueKind.String,
            "the closer records the result");
        Assert.Equal("Adopted", recorded.Str("status"));
        Assert.Empty(service.Writes.By("GET", path));
    }

    [Fact]
    public async Task An_objected_motion_without_a_planned_meeting_goes_onto_the_next_one_planned()
    {
        var group = await service.SteeringGroupAsync();
        var motion = await group.TableAsync("Umlaufbeschluss, Sitzung noch nicht geplant");
        await group.Coordinator.PostAsync($"/api/network/steering/motions/{motion}/circular", new { }, HttpStatusCode.OK);
        var objected = await group.Member(SteeringGroup.UserB).PostAsync($"/api/network/steering/motions/{motion}/circular/objection",
            new { reason = "Grundsatzfrage" }, HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, objected.GetProperty("meetingId").ValueKind);

        var meeting = await group.PlanAsync([], TimeSpan.FromDays(14));

        var planned = await group.Coordinator.GetJsonAsync($"/api/network/steering/meetings/{meeting}");
        Assert.Contains(planned.GetProperty("agenda").EnumerateArray(), a => a.GetProperty("referenceId").GetGuid() == motion);
        Assert.Equal(meeting, (await group.Coordinator.GetJsonAsync($"/api/network/steering/motions/{motion}")).GetProperty("meetingId").GetGuid());
        await group.Coordinator.PostAsync($"/api/network/steering/meetings/{meeting}/cancel", new { reason = "Testende" }, HttpStatusCode.OK);
    }
}
