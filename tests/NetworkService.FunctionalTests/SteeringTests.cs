using System.Net;
using System.Text;
using System.Text.Json;
using Kim.ServiceDefaults;
using Kim.Testing;

namespace Kim.NetworkService.FunctionalTests;

[Collection(NetworkCollection.Name)]
public sealed class SteeringTests(NetworkServiceFixture service)
{
    [Fact]
    public async Task The_constituent_meeting_adopts_the_first_rules_which_then_are_in_force()
    {
        var group = await service.SteeringGroupAsync();

        var resolution = group.ConstituentResolution;
        Assert.Equal("Adopted", resolution.Str("status"));
        Assert.Matches(@"^LG-\d{4}-\d{2,}$", resolution.Str("registerNumber"));
        // 2 of 3 present meet the constituent quorum of half; 1 yes against 0 no is a simple majority.
        Assert.True(group.ConstituentMeetingQuorate);
        Assert.Equal(1, resolution.GetProperty("yes").GetInt32());
        Assert.Equal(1, resolution.GetProperty("abstentions").GetInt32());
        Assert.Contains("Es gilt noch keine Geschäftsordnung", group.PrematureVote.Str("detail"), StringComparison.Ordinal);
        Assert.Equal("Umlaufverfahren nicht zugelassen", group.PrematureCircular.Str("title"));
        var first = (await group.Coordinator.GetJsonAsync("/api/network/steering/rules")).EnumerateArray().Single(r => r.Id() == group.FirstRules);
        Assert.Equal(1, first.GetProperty("version").GetInt32());
        Assert.Equal(resolution.Str("registerNumber"), first.Str("resolutionNumber"));
        Assert.NotEqual(JsonValueKind.Null, first.GetProperty("inForceSince").ValueKind);
        Assert.Equal(group.FirstRules, group.RulesAfterConstitution.Id());
        Assert.Equal(1, group.RulesAfterConstitution.GetProperty("version").GetInt32());

        // Later tests adopt newer versions; whichever is in force now is the one the service names, and a draft is not.
        await group.Coordinator.PostAsync("/api/network/steering/rules", new { quorumPercent = 75, majority = "Consensus", circularAllowed = false });
        var all = (await group.Coordinator.GetJsonAsync("/api/network/steering/rules")).EnumerateArray().ToArray();
        var inForce = Assert.Single(all, r => r.Str("status") == "InForce");
        var current = await group.Coordinator.GetJsonAsync("/api/network/steering/rules/current");
        Assert.Equal(inForce.Id(), current.Id());
        Assert.Equal(inForce.GetProperty("version").GetInt32(), current.GetProperty("version").GetInt32());
        Assert.Equal(Enumerable.Range(1, all.Length), all.Select(r => r.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task A_new_version_of_the_rules_supersedes_the_one_in_force()
    {
        var group = await service.SteeringGroupAsync();
        var rules = await group.Coordinator.PostAsync("/api/network/steering/rules", new { quorumPercent = 60, majority = "TwoThirds", circularAllowed = false });
        var motion = await group.TableAsync("Neue Geschäftsordnung", "AdoptRules", rules.Id());
        var decided = await group.DecideInMeetingAsync([(motion, "Yes", "Yes", "No")]);

        Assert.Equal("Adopted", decided[0].Str("status"));
        var all = await group.Coordinator.GetJsonAsync("/api/network/steering/rules");
        Assert.Equal("Superseded", all.EnumerateArray().Single(r => r.Id() == group.FirstRules).Str("status"));
        Assert.Equal("InForce", all.EnumerateArray().Single(r => r.Id() == rules.Id()).Str("status"));

        // Back to the first-rule settings for the other tests: simple majority, circular allowed.
        var again = await group.Coordinator.PostAsync("/api/network/steering/rules", new
        {
            quorumPercent = 50,
            majority = "Simple",
            circularAllowed = true,
            circularDeadlineDays = 7,
            circularParticipationPercent = 50,
        });
        var restore = await group.TableAsync("Geschäftsordnung wiederherstellen", "AdoptRules", again.Id());
        // Under two-thirds: 2 yes, 1 no is exactly two thirds and carries.
        Assert.Equal("Adopted", (await group.DecideInMeetingAsync([(restore, "Yes", "Yes", "No")]))[0].Str("status"));
    }

    [Fact]
    public async Task A_tie_is_rejected_and_gets_no_register_number()
    {
        var group = await service.SteeringGroupAsync();
        var motion = await group.TableAsync("Gemeinsamer Flyer");

        var decided = await group.DecideInMeetingAsync([(motion, "Yes", "No", "Abstain")]);

        Assert.Equal("Rejected", decided[0].Str("status"));
        Assert.Equal(JsonValueKind.Null, decided[0].GetProperty("registerNumber").ValueKind);
    }

    [Fact]
    public async Task Register_numbers_are_consecutive_within_the_year()
    {
        var group = await service.SteeringGroupAsync();
        var first = await group.TableAsync("Beschluss eins");
        var second = await group.TableAsync("Beschluss zwei");

        var decided = await group.DecideInMeetingAsync([(first, "Yes", "Yes", "Yes"), (second, "Yes", "Yes", "No")]);

        var numbers = decided.Select(d => d.Str("registerNumber")).ToArray();
        var year = service.Clock.GetUtcNow().Year;
        Assert.All(numbers, n => Assert.StartsWith($"LG-{year}-", n, StringComparison.Ordinal));
        Assert.Equal(int.Parse(numbers[0].Split('-')[2]) + 1, int.Parse(numbers[1].Split('-')[2]));
    }

    [Fact]
    public async Task Register_numbers_start_again_at_one_in_a_new_year()
    {
        var group = await service.SteeringGroupAsync();
        var now = service.Clock.GetUtcNow().UtcDateTime;
        var newYearsEve = new DateTime(now.Year, 12, 31, 23, 0, 0, DateTimeKind.Utc);
        service.Clock.Advance((newYearsEve > now ? newYearsEve : newYearsEve.AddYears(1)) - now);
        var year = service.Clock.GetUtcNow().Year;
        // Ballots of other tests whose deadline passed meanwhile are closed first, so their numbers do not interleave.
        await Eventually.TrueAsync(async () => (await group.Coordinator.GetJsonAsync("/api/network/steering/motions?status=CircularBallot")).EnumerateArray()
            .All(m => m.GetProperty("circularDeadline").GetDateTime() > service.Clock.GetUtcNow().UtcDateTime), "expired ballots closed");
        var last = (await group.DecideInMeetingAsync([(await group.TableAsync("Letzter Beschluss des Jahres"), "Yes", "Yes", "Yes")]))[0].Str("registerNumber");

        service.Clock.Advance(TimeSpan.FromHours(2));
        var first = await group.TableAsync("Erster Beschluss des neuen Jahres");
        var rejected = await group.TableAsync("Abgelehnt im neuen Jahr");
        var second = await group.TableAsync("Zweiter Beschluss des neuen Jahres");
        var decided = await group.DecideInMeetingAsync([(first, "Yes", "Yes", "No"), (rejected, "No", "No", "Yes"), (second, "Yes", "Abstain", "Abstain")]);

        Assert.StartsWith($"LG-{year}-", last, StringComparison.Ordinal);
        Assert.Equal($"LG-{year + 1}-01", decided[0].Str("registerNumber"));
        Assert.Equal(JsonValueKind.Null, decided[1].GetProperty("registerNumber").ValueKind);
        Assert.Equal($"LG-{year + 1}-02", decided[2].Str("registerNumber"));
        var register = (await group.Coordinator.GetJsonAsync("/api/network/steering/resolutions")).EnumerateArray().Select(r => r.Str("registerNumber")).ToList();
        Assert.Equal([last, $"LG-{year + 1}-01", $"LG-{year + 1}-02"], register.Skip(register.IndexOf(last)).Take(3));
        Assert.Single(register, n => n == last);
    }

    [Fact]
    public async Task A_vote_in_a_meeting_without_quorum_is_refused_and_changes_nothing()
    {
        var group = await service.SteeringGroupAsync();
        var client = group.Coordinator;
        var motion = await group.TableAsync("Antrag ohne Quorum");
        var meeting = await group.PlanAsync([motion]);
        await client.PutAsync($"/api/network/steering/meetings/{meeting}/attendance", new
        {
            attendance = new object[] { new { memberId = group.A, presence = "Present" }, new { memberId = group.B, presence = "Absent" } },
        });
        var held = await client.PostAsync($"/api/network/steering/meetings/{meeting}/hold", new { }, HttpStatusCode.OK);
        Assert.False(held.GetProperty("quorate").GetBoolean());

        var refused = await client.PostAsync($"/api/network/steering/motions/{motion}/votes",
            new { meetingId = meeting, votes = new[] { new { memberId = group.A, choice = "Yes" } } }, HttpStatusCode.Conflict);

        Assert.Equal(ProblemTypes.Conflict, refused.Str("type"));
        Assert.Equal("Lenkungsgruppe nicht beschlussfähig", refused.Str("title"));
        var after = await client.GetJsonAsync($"/api/network/steering/motions/{motion}");
        Assert.Equal("Tabled", after.Str("status"));
        Assert.Empty(after.GetProperty("votes").EnumerateArray());
    }

    [Fact]
    public async Task A_deputy_votes_only_for_an_absent_member_and_non_members_cannot_vote()
    {
        var group = await service.SteeringGroupAsync();
        var client = group.Coordinator;
        var motion = await group.TableAsync("Antrag mit Stellvertretung");
        var meeting = await group.PlanAsync([motion]);
        await client.PutAsync($"/api/network/steering/meetings/{meeting}/attendance", new
        {
            attendance = new object[]
            {
                new { memberId = group.A, presence = "RepresentedByDeputy" }, new { memberId = group.B, presence = "Present" },
                new { memberId = group.C, presence = "Absent" }, new { memberId = group.WithoutVote, presence = "Present" },
            },
        });
        var held = await client.PostAsync($"/api/network/steering/meetings/{meeting}/hold", new { }, HttpStatusCode.OK);
        Assert.Equal(2, held.GetProperty("votingMembersPresent").GetInt32());
        Assert.True(held.GetProperty("quorate").GetBoolean());

        var deputyForPresent = await client.PostAsync($"/api/network/steering/motions/{motion}/votes",
            new { meetingId = meeting, votes = new[] { new { memberId = group.B, choice = "Yes", byDeputy = true } } }, HttpStatusCode.Conflict);
        var absent = await client.PostAsync($"/api/network/steering/motions/{motion}/votes",
            new { meetingId = meeting, votes = new[] { new { memberId = group.C, choice = "Yes" } } }, HttpStatusCode.Conflict);
        var nonVoting = await client.PostAsync($"/api/network/steering/motions/{motion}/votes",
            new { meetingId = meeting, votes = new[] { new { memberId = group.WithoutVote, choice = "Yes" } } }, HttpStatusCode.Forbidden);
        Assert.Equal("Stellvertretung nicht stimmberechtigt", deputyForPresent.Str("title"));
        Assert.Equal("Mitglied nicht anwesend", absent.Str("title"));
        Assert.Equal("Kein stimmberechtigtes Mitglied", nonVoting.Str("title"));
        Assert.Equal("Tabled", (await client.GetJsonAsync($"/api/network/steering/motions/{motion}")).Str("status"));

        var decided = await client.PostAsync($"/api/network/steering/motions/{motion}/votes", new
        {
            meetingId = meeting,
            votes = new object[] { new { memberId = group.A, choice = "Yes", byDeputy = true }, new { memberId = group.B, choice = "No" } },
        }, HttpStatusCode.OK);
        Assert.Equal("Rejected", decided.Str("status"));
        Assert.True(decided.GetProperty("votes").EnumerateArray().Single(v => v.GetProperty("memberId").GetGuid() == group.A).GetProperty("byDeputy").GetBoolean());
    }

    [Fact]
    public async Task Invalid_input_lists_every_field_and_readers_cannot_write()
    {
        var group = await service.SteeringGroupAsync();
        var before = (await group.Coordinator.GetJsonAsync("/api/network/steering/rules")).GetArrayLength();

        var invalid = await group.Coordinator.PostAsync("/api/network/steering/rules",
            new { quorumPercent = 0, circularAllowed = true }, HttpStatusCode.BadRequest);
        var errors = invalid.GetProperty("errors");
        foreach (var field in new[] { "quorumPercent", "majority", "circularDeadlineDays", "circularParticipationPercent" })
        {
            Assert.True(errors.TryGetProperty(field, out _), field);
        }

        var reader = service.ClientFor(Kim.ServiceDefaults.Security.KimRoles.CaseManager);
        await reader.PostAsync("/api/network/steering/rules", new { quorumPercent = 50, majority = "Simple", circularAllowed = false }, HttpStatusCode.Forbidden);
        await reader.GetJsonAsync("/api/network/steering/rules");
        var anonymous = await service.CreateClient().GetAsync("/api/network/steering/rules");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(before, (await group.Coordinator.GetJsonAsync("/api/network/steering/rules")).GetArrayLength());
    }

    [Fact]
    public async Task Adopted_resolutions_track_implementation_and_export_votes_as_csv()
    {
        var group = await service.SteeringGroupAsync();
        var motion = await group.TableAsync("Gemeinsame Fallkonferenzen; monatlich");
        var decided = (await group.DecideInMeetingAsync([(motion, "Yes", "Yes", "Abstain")]))[0];

        var tracked = await group.Coordinator.PutAsync($"/api/network/steering/resolutions/{motion}/implementation",
            new { status = "InProgress", responsible = "Koordinierungsstelle" });
        Assert.Equal("InProgress", tracked.Str("implementation"));
        var register = await group.Coordinator.GetJsonAsync("/api/network/steering/resolutions");
        Assert.Contains(register.EnumerateArray(), r => r.Id() == motion && r.Str("responsible") == "Koordinierungsstelle");

        var csv = Encoding.UTF8.GetString(await group.Coordinator.GetByteArrayAsync($"/api/network/steering/motions/{motion}/votes.csv")).TrimStart('\uFEFF');
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Beschlussnummer;Antrag;Mitglied;Stimme;Stellvertretung;Zeitpunkt (UTC)", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Contains(lines, l => l.StartsWith($"{decided.Str("registerNumber")};\"Gemeinsame Fallkonferenzen; monatlich\";Vorstand MSO;Ja;nein;", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(";Enthaltung;", StringComparison.Ordinal));

        var rejected = await group.TableAsync("Nicht beschlossen");
        await group.DecideInMeetingAsync([(rejected, "No", "No", "Yes")]);
        await group.Coordinator.PutAsync($"/api/network/steering/resolutions/{rejected}/implementation",
            new { status = "Done", responsible = "X" }, HttpStatusCode.Conflict);
        var registerCsv = Encoding.UTF8.GetString(await group.Coordinator.GetByteArrayAsync("/api/network/steering/resolutions/votes.csv"));
        Assert.Contains("Beschlussnummer;Titel;Verfahren;Ergebnis;Ja;Nein;Enthaltungen", registerCsv, StringComparison.Ordinal);
        Assert.Contains(";Nicht beschlossen;Sitzung;abgelehnt;1;2;0;", registerCsv, StringComparison.Ordinal);
        Assert.Contains($"{decided.Str("registerNumber")};\"Gemeinsame Fallkonferenzen; monatlich\";Sitzung;angenommen;2;0;1;ja;", registerCsv, StringComparison.Ordinal);
        Assert.Contains(";in Umsetzung;Koordinierungsstelle\r\n", registerCsv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Holding_a_meeting_publishes_attendance_and_quorum()
    {
        var group = await service.SteeringGroupAsync();
        await using var probe = await AmqpProbe.BindAsync(service.MessagingUri, "Kim.Contracts.Network:MeetingHeld");
        var meeting = await group.PlanAsync([]);
        var early = await group.Coordinator.PutAsync($"/api/network/steering/meetings/{meeting}/minutes", new { minutes = "Zu früh" }, HttpStatusCode.Conflict);
        Assert.Equal("Sitzung nicht abgehalten", early.Str("title"));
        await group.Coordinator.PutAsync($"/api/network/steering/meetings/{meeting}/attendance", new
        {
            attendance = new object[] { new { memberId = group.A, presence = "Present" }, new { memberId = group.B, presence = "Present" } },
        });
        await group.Coordinator.PostAsync($"/api/network/steering/meetings/{meeting}/hold", new { }, HttpStatusCode.OK);

        var body = await probe.NextContainingAsync(meeting.ToString());
        Assert.Equal(2, body.GetProperty("votingMembersPresent").GetInt32());
        Assert.Equal(3, body.GetProperty("votingMembers").GetInt32());
        Assert.True(body.GetProperty("quorate").GetBoolean());
        Assert.Equal(["Jobcenter", "MigrantOrganisation"], body.GetProperty("representedTypes").EnumerateArray().Select(t => t.EnumName<Kim.Contracts.OrganisationType>()).ToArray());
        await group.Coordinator.PostAsync($"/api/network/steering/meetings/{meeting}/cancel", new { reason = "zu spät" }, HttpStatusCode.Conflict);
        var minutes = await group.Coordinator.PutAsync($"/api/network/steering/meetings/{meeting}/minutes", new { minutes = "TOP 1: Bericht der Koordinierungsstelle" });
        Assert.Equal("TOP 1: Bericht der Koordinierungsstelle", minutes.Str("minutes"));
        Assert.Equal("Held", minutes.Str("status"));

        // Minutes have paragraphs (as typed in a text area); other control characters stay refused.
        var paragraphs = await group.Coordinator.PutAsync($"/api/network/steering/meetings/{meeting}/minutes", new { minutes = "TOP 1: Bericht\r\nTOP 2: Termine" });
        Assert.Equal("TOP 1: Bericht\r\nTOP 2: Termine", paragraphs.Str("minutes"));
        await group.Coordinator.PutAsync($"/api/network/steering/meetings/{meeting}/minutes", new { minutes = "TOP 1\u0007" }, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_member_gets_a_deputy_and_a_meeting_agenda_names_only_known_items()
    {
        var group = await service.SteeringGroupAsync();
        var url = $"/api/network/steering/members/{group.WithoutVote}";

        var tenant = SteeringGroup.TenantOf(SteeringGroup.UserWithoutVote);
        var invalid = await group.Coordinator.PutAsync(url, new { hasVotingRight = false, deputyUserId = SteeringGroup.UserWithoutVote, deputyTenant = tenant }, HttpStatusCode.BadRequest);
        var updated = await group.Coordinator.PutAsync(url, new { hasVotingRight = false, deputyName = "Vertretung KIM", deputyUserId = "lg-n-deputy", deputyTenant = tenant });

        Assert.True(invalid.GetProperty("errors").TryGetProperty("deputyUserId", out _));
        Assert.True(invalid.GetProperty("errors").TryGetProperty("deputyName", out _));
        Assert.Equal("Vertretung KIM", updated.Str("deputyName"));
        Assert.False(updated.GetProperty("hasVotingRight").GetBoolean());
        var audit = await group.Coordinator.GetJsonAsync($"/api/network/steering/audit?subjectId={group.WithoutVote}");
        Assert.Contains(audit.EnumerateArray(), a => a.Str("action") == "steering.member-updated");

        var unknown = await group.Coordinator.PostAsync("/api/network/steering/meetings", new
        {
            title = "Sitzung",
            scheduledFor = service.Clock.GetUtcNow().UtcDateTime,
            agenda = new object[] { new { kind = "Theme", title = "Thema", referenceId = Guid.NewGuid() }, new { kind = "WorkingGroupResult", title = "Ergebnis" } },
        }, HttpStatusCode.BadRequest);
        Assert.True(unknown.GetProperty("errors").TryGetProperty("agenda[1].referenceId", out _));
        var unknownTheme = await group.Coordinator.PostAsync("/api/network/steering/meetings", new
        {
            title = "Sitzung",
            scheduledFor = service.Clock.GetUtcNow().UtcDateTime,
            agenda = new object[] { new { kind = "Theme", title = "Thema", referenceId = Guid.NewGuid() } },
        }, HttpStatusCode.BadRequest);
        Assert.Contains("Unbekanntes Thema", unknownTheme.GetProperty("errors").GetProperty("agenda")[0].GetString(), StringComparison.Ordinal);
    }
}
