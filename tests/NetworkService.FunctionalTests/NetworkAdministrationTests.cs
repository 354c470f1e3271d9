using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Security;

namespace Kim.NetworkService.FunctionalTests;

/// <summary>
/// Who keeps the network's records (the coordinating office and the tenants it delegated to), who a steering member is
/// (subject and tenant), and what two identical creates at the same moment answer.
/// </summary>
[Collection(NetworkCollection.Name)]
public sealed class NetworkAdministrationTests(NetworkServiceFixture service)
{
    private HttpClient CaritasCoordinator => service.ClientFor(KimRoles.Coordinator, "koordination-caritas", "caritas");

    [Fact]
    public async Task A_steering_member_token_of_another_tenant_with_a_members_subject_neither_objects_nor_votes()
    {
        var group = await service.SteeringGroupAsync();
        var motion = await group.TableAsync("Umlaufbeschluss, fremder Mandant");
        var path = $"/api/network/steering/motions/{motion}/circular";
        await group.Coordinator.PostAsync(path, new { }, HttpStatusCode.OK);
        await group.Member(SteeringGroup.UserB).PostAsync($"{path}/votes", new { choice = "Yes" }, HttpStatusCode.OK);

        // The subject of member A (who signs in at the coordinating office), in a token of diakonie.
        var forged = service.ClientFor(KimRoles.SteeringMember, SteeringGroup.UserA, "diakonie");
        var objection = await forged.PostAsync($"{path}/objection", new { reason = "Bitte in der Sitzung" }, HttpStatusCode.Forbidden);
        var vote = await forged.PostAsync($"{path}/votes", new { choice = "No" }, HttpStatusCode.Forbidden);

        Assert.Equal(ProblemTypes.Forbidden, objection.Str("type"));
        Assert.Equal("Kein stimmberechtigtes Mitglied", objection.Str("title"));
        Assert.Equal("Kein stimmberechtigtes Mitglied", vote.Str("title"));
        var unchanged = await group.Coordinator.GetJsonAsync($"/api/network/steering/motions/{motion}");
        Assert.Equal("CircularBallot", unchanged.Str("status"));
        Assert.Equal(JsonValueKind.Null, unchanged.GetProperty("circularObjection").ValueKind);
        var votes = unchanged.GetProperty("votes").EnumerateArray().ToArray();
        Assert.Equal(group.B, Assert.Single(votes).GetProperty("memberId").GetGuid());
        Assert.Equal("Yes", votes[0].Str("choice"));

        // The member, signed in at their own tenant, still takes part.
        Assert.Equal("Adopted", (await group.Member(SteeringGroup.UserA).PostAsync($"{path}/votes", new { choice = "Yes" }, HttpStatusCode.OK)).Str("status"));
    }

    [Fact]
    public async Task A_person_acts_for_one_organisation_only()
    {
        var group = await service.SteeringGroupAsync();
        var coordinator = group.Coordinator;
        var members = await coordinator.GetJsonAsync("/api/network/steering/members");
        var deputyOfA = SteeringGroup.UserA + "-deputy";
        var tenant = SteeringGroup.TenantOf(SteeringGroup.UserA);

        var asMember = await coordinator.PostAsync("/api/network/steering/members", new
        {
            organisationId = group.Organisations[2],
            name = "Zweite Organisation",
            userId = deputyOfA,
            userTenant = tenant,
            hasVotingRight = false,
        }, HttpStatusCode.Conflict);
        var asDeputy = await coordinator.PostAsync("/api/network/steering/members", new
        {
            organisationId = group.Organisations[2],
            name = "Neues Mitglied " + Guid.NewGuid().ToString("N")[..6],
            userId = "lg-neu-" + Guid.NewGuid().ToString("N")[..6],
            userTenant = tenant,
            hasVotingRight = false,
            deputyName = "Vorstand MSO",
            deputyUserId = SteeringGroup.UserB,
            deputyTenant = SteeringGroup.TenantOf(SteeringGroup.UserB),
        }, HttpStatusCode.Conflict);
        var deputyTaken = await coordinator.PutAsync($"/api/network/steering/members/{group.WithoutVote}", new
        {
            hasVotingRight = false,
            deputyName = "Stellvertretung Jobcenter",
            deputyUserId = deputyOfA,
            deputyTenant = tenant,
        }, HttpStatusCode.Conflict);
        var noTenant = await coordinator.PostAsync("/api/network/steering/members", new
        {
            organisationId = group.Organisations[2],
            name = "Ohne Mandant",
            userId = "lg-ohne-mandant",
            hasVotingRight = false,
        }, HttpStatusCode.BadRequest);

        Assert.Equal("Person bereits Stellvertretung", asMember.Str("title"));
        Assert.Equal("Stellvertretung bereits vergeben", asDeputy.Str("title"));
        Assert.Equal("Stellvertretung bereits vergeben", deputyTaken.Str("title"));
        Assert.True(noTenant.GetProperty("errors").TryGetProperty("userTenant", out _));
        var after = await coordinator.GetJsonAsync("/api/network/steering/members");
        Assert.Equal(members.GetRawText(), after.GetRawText());
        var a = after.EnumerateArray().Single(m => m.Id() == group.A);
        Assert.Equal(tenant, a.Str("userTenant"));
        Assert.Equal(tenant, a.Str("deputyTenant"));
    }

    [Fact]
    public async Task A_coordinator_of_a_carrier_changes_nothing_of_the_network_but_proposes_themes_and_working_groups()
    {
        var group = await service.SteeringGroupAsync();
        var office = group.Coordinator;
        var caritas = CaritasCoordinator;
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var motion = await group.TableAsync("Antrag, von einem Träger angefasst");
        var organisations = (await office.GetJsonAsync("/api/network/organisations")).GetArrayLength();
        var members = await office.GetJsonAsync("/api/network/steering/members");
        var rules = (await office.GetJsonAsync("/api/network/steering/rules")).GetArrayLength();
        var meetings = (await office.GetJsonAsync("/api/network/steering/meetings")).GetArrayLength();
        var motions = (await office.GetJsonAsync("/api/network/steering/motions")).GetArrayLength();
        var agreements = (await office.GetJsonAsync("/api/network/agreements")).GetArrayLength();
        var offers = (await office.GetJsonAsync($"/api/network/offers?organisationId={group.Organisations[2]}")).GetArrayLength();

        var refusals = new (HttpMethod Method, string Path, object Body)[]
        {
            (HttpMethod.Post, "/api/network/organisations", new { name = "Träger " + suffix, type = "Carrier" }),
            (HttpMethod.Post, $"/api/network/organisations/{group.Organisations[2]}/offers", new { title = "Beratung", legalDomain = "SgbII", lifeDomain = "TrainingWork" }),
            (HttpMethod.Post, "/api/network/steering/members", new
            {
                organisationId = group.Organisations[2], name = "Mitglied " + suffix, userId = "lg-" + suffix, userTenant = "caritas", hasVotingRight = true,
            }),
            (HttpMethod.Put, $"/api/network/steering/members/{group.C}", new { hasVotingRight = false }),
            (HttpMethod.Post, "/api/network/steering/rules", new { quorumPercent = 10, majority = "Simple", circularAllowed = false }),
            (HttpMethod.Post, "/api/network/steering/motions", new { title = "Antrag " + suffix, kind = "General", isBinding = true }),
            (HttpMethod.Post, $"/api/network/steering/motions/{motion}/circular", new { }),
            (HttpMethod.Post, "/api/network/steering/meetings", new { title = "Sitzung " + suffix, scheduledFor = DateTime.UtcNow.AddDays(3) }),
            (HttpMethod.Post, "/api/network/agreements", new { kind = "Cooperation", partnerOrganisationId = group.Organisations[2], validFrom = "2026-01-01" }),
            (HttpMethod.Get, "/api/network/steering/audit", new { }),
        };
        foreach (var (method, path, body) in refusals)
        {
            var refused = await caritas.SendAsync(method, path, method == HttpMethod.Get ? null : body, HttpStatusCode.Forbidden);
            Assert.Equal(ProblemTypes.Forbidden, refused.Str("type"));
            Assert.Equal("Keine Berechtigung", refused.Str("title"));
        }

        Assert.Equal(organisations, (await office.GetJsonAsync("/api/network/organisations")).GetArrayLength());
        Assert.Equal(members.GetRawText(), (await office.GetJsonAsync("/api/network/steering/members")).GetRawText());
        Assert.Equal(rules, (await office.GetJsonAsync("/api/network/steering/rules")).GetArrayLength());
        Assert.Equal(meetings, (await office.GetJsonAsync("/api/network/steering/meetings")).GetArrayLength());
        Assert.Equal(motions, (await office.GetJsonAsync("/api/network/steering/motions")).GetArrayLength());
        Assert.Equal(agreements, (await office.GetJsonAsync("/api/network/agreements")).GetArrayLength());
        Assert.Equal("Tabled", (await office.GetJsonAsync($"/api/network/steering/motions/{motion}")).Str("status"));
        Assert.Equal(offers, (await office.GetJsonAsync($"/api/network/offers?organisationId={group.Organisations[2]}")).GetArrayLength());

        // Carriers propose: a theme and a working group, which the steering group then decides on.
        await caritas.PostAsync("/api/network/themes", new { title = "Schulden und Aufenthalt", tag = "schulden-" + suffix, lifeDomain = "LivelihoodSecurity" });
        var proposal = await caritas.PostAsync("/api/network/working-groups", WorkingGroup("PAG Schulden " + suffix));
        Assert.Equal("Proposed", proposal.Str("status"));

        // The coordinating office and the tenant it delegated to keep the records.
        await office.PostAsync("/api/network/organisations", new { name = "Schuldnerberatung " + suffix, type = "Carrier" });
        var delegated = service.ClientFor(KimRoles.Coordinator, "koordination-jugendamt", NetworkServiceFixture.DelegatedTenant);
        await delegated.PostAsync("/api/network/organisations", new { name = "Jugendmigrationsdienst " + suffix, type = "Carrier" });
        var kept = await delegated.PutAsync($"/api/network/steering/members/{group.WithoutVote}", new { hasVotingRight = false });
        Assert.False(kept.GetProperty("hasVotingRight").GetBoolean());
        Assert.Equal(organisations + 2, (await office.GetJsonAsync("/api/network/organisations")).GetArrayLength());
    }

    [Fact]
    public async Task A_tenant_is_matched_exactly_and_a_token_with_two_tenants_keeps_nothing()
    {
        var before = (await service.ClientFor().GetJsonAsync("/api/network/organisations")).GetArrayLength();
        foreach (var tenant in new[] { "Kommune", "kommune ", "KOMMUNE", "jugendamt\u200b" })
        {
            var client = service.ClientFor(KimRoles.Coordinator, "koordination", tenant);
            using var response = await client.PostAsJsonAsync("/api/network/organisations", new { name = "Verein " + Guid.NewGuid().ToString("N")[..6], type = "Carrier" });

            // Refused: by the authorisation policy, or already as a token whose tenant is malformed.
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized, $"{tenant}: {(int)response.StatusCode}");
        }

        Assert.Equal(before, (await service.ClientFor().GetJsonAsync("/api/network/organisations")).GetArrayLength());
    }

    [Fact]
    public async Task Identical_creates_at_the_same_moment_give_one_created_and_conflicts_never_an_error()
    {
        var group = await service.SteeringGroupAsync();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var creates = new (string Path, object Body)[]
        {
            ("/api/network/organisations", new { name = "Gleichzeitig " + suffix, type = "Carrier" }),
            ("/api/network/working-groups", WorkingGroup("PAG gleichzeitig " + suffix)),
            ("/api/network/themes", new { title = "Gleichzeitiges Thema", tag = "gleichzeitig-" + suffix, lifeDomain = "Housing" }),
            ("/api/network/steering/members", new
            {
                organisationId = group.Organisations[0], name = "Gleichzeitig " + suffix, userId = "lg-gleichzeitig-" + suffix, userTenant = "kommune", hasVotingRight = false,
            }),
        };
        foreach (var (path, body) in creates)
        {
            var statuses = await ConcurrentlyAsync(path, body);
            Assert.True(statuses.Count(s => s == HttpStatusCode.Created) == 1, $"{path}: {string.Join(", ", statuses)}");
            Assert.All(statuses.Where(s => s != HttpStatusCode.Created), s => Assert.Equal(HttpStatusCode.Conflict, s));
        }

        // Drafts of the rules of procedure are numbered: each one drafted gets its own version, the others are told to try again.
        var drafts = await ConcurrentlyAsync("/api/network/steering/rules", new { quorumPercent = 50, majority = "Simple", circularAllowed = false });
        Assert.All(drafts, s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.Conflict, $"rules: {string.Join(", ", drafts)}"));
        var versions = (await group.Coordinator.GetJsonAsync("/api/network/steering/rules")).EnumerateArray().Select(r => r.GetProperty("version").GetInt32()).ToArray();
        Assert.Equal(Enumerable.Range(1, versions.Length), versions);
    }

    /// <summary>Sends the same create eight times at once and returns the statuses; every refusal must be a problem.</summary>
    private async Task<HttpStatusCode[]> ConcurrentlyAsync(string path, object body)
    {
        var clients = Enumerable.Range(0, 8).Select(i => service.ClientFor(user: "koordination-" + i)).ToArray();
        var responses = await Kim.Testing.AtOnce.SendAsync(clients, client => client.PostAsJsonAsync(path, body));
        foreach (var response in responses)
        {
            using var _ = response;
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode < 500, $"{path}: {(int)response.StatusCode} {text}");
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                var type = JsonDocument.Parse(text).RootElement.GetProperty("type").GetString();
                Assert.True(type is ProblemTypes.Conflict or ProblemTypes.ConcurrentChange, text);
            }
        }

        return [.. responses.Select(r => r.StatusCode)];
    }

    private static object WorkingGroup(string name) => new
    {
        name,
        subject = "Schulden im Aufenthaltsverfahren",
        objective = "Beratung früher erreichen",
        composition = "Schuldnerberatung, Ausländerbehörde, Träger",
        workingForm = "Monatliche Sitzungen",
        expectedResultFormat = "Dienstleistungskette",
    };
}
