using System.Net;
using System.Net.Http.Json;
using Kim.NetworkService.Infrastructure;
using Kim.NetworkService.Steering;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kim.NetworkService.FunctionalTests;

/// <summary>
/// Who keeps the network's records when nothing is configured, how a member recorded without a tenant is repaired, and
/// that the database seats a person for one organisation only, even when two requests seat them at the same moment.
/// </summary>
[Collection(NetworkCollection.Name)]
public sealed class SteeringSeatTests(NetworkServiceFixture service)
{
    [Fact]
    public void Without_a_configured_coordinating_office_nobody_keeps_the_network()
    {
        var unconfigured = new NetworkOptions();

        Assert.Equal("", unconfigured.CoordinatingTenant);
        Assert.False(unconfigured.Manages("kommune"));
        Assert.False(unconfigured.Manages(""));
        Assert.False(new NetworkOptions { CoordinatingTenant = "", DelegatedTenants = [""] }.Manages(""));
        Assert.True(new NetworkOptions { CoordinatingTenant = "kommune" }.Manages("kommune"));
    }

    [Fact]
    public async Task A_member_recorded_without_a_tenant_votes_only_once_a_coordinator_adds_it()
    {
        var group = await service.SteeringGroupAsync();
        var coordinator = group.Coordinator;
        var userId = "lg-alt-" + Guid.NewGuid().ToString("N")[..6];
        var old = Guid.CreateVersion7();
        await using (var scope = service.Services.CreateAsyncScope())
        {
            // As the tenant migration left a member recorded before tenants were kept.
            var db = scope.ServiceProvider.GetRequiredService<NetworkDbContext>();
            db.SteeringMembers.Add(new SteeringMember
            {
                Id = old,
                OrganisationId = group.Organisations[2],
                Name = "Altes Mitglied",
                UserId = userId,
                UserTenant = "",
                HasVotingRight = true,
                JoinedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        try
        {
            // Unrepaired, the member counts for no ballot and cannot vote.
            var before = await group.TableAsync("Umlauf vor der Ergänzung");
            var started = await coordinator.PostAsync($"/api/network/steering/motions/{before}/circular", new { }, HttpStatusCode.OK);
            Assert.Equal(3, started.GetProperty("circularEligible").GetInt32());
            var member = service.ClientFor(KimRoles.SteeringMember, userId, NetworkServiceFixture.CoordinatingTenant);
            await member.PostAsync($"/api/network/steering/motions/{before}/circular/votes", new { choice = "Yes" }, HttpStatusCode.Forbidden);

            // A recorded tenant does not change; an empty one is added.
            var changed = await coordinator.PutAsync($"/api/network/steering/members/{group.A}", new
            {
                hasVotingRight = true,
                userTenant = "diakonie",
                deputyName = "Stellvertretung Jobcenter",
                deputyUserId = SteeringGroup.UserA + "-deputy",
                deputyTenant = SteeringGroup.TenantOf(SteeringGroup.UserA),
            }, HttpStatusCode.BadRequest);
            Assert.True(changed.GetProperty("errors").TryGetProperty("userTenant", out _));
            var repaired = await coordinator.PutAsync($"/api/network/steering/members/{old}", new
            {
                hasVotingRight = true,
                userTenant = NetworkServiceFixture.CoordinatingTenant,
            });
            Assert.Equal(NetworkServiceFixture.CoordinatingTenant, repaired.Str("userTenant"));

            var after = await group.TableAsync("Umlauf nach der Ergänzung");
            started = await coordinator.PostAsync($"/api/network/steering/motions/{after}/circular", new { }, HttpStatusCode.OK);
            Assert.Equal(4, started.GetProperty("circularEligible").GetInt32());
            await member.PostAsync($"/api/network/steering/motions/{after}/circular/votes", new { choice = "Yes" }, HttpStatusCode.OK);
        }
        finally
        {
            // The shared steering group keeps three voting members for the other tests.
            await coordinator.PutAsync($"/api/network/steering/members/{old}", new { hasVotingRight = false });
        }
    }

    [Fact]
    public async Task One_person_seated_as_member_and_as_deputy_at_the_same_moment_gets_one_seat()
    {
        var group = await service.SteeringGroupAsync();
        var coordinator = group.Coordinator;
        var person = "lg-doppelt-" + Guid.NewGuid().ToString("N")[..6];
        var tenant = NetworkServiceFixture.CoordinatingTenant;
        var holder = await coordinator.PostAsync("/api/network/steering/members", new
        {
            organisationId = group.Organisations[0],
            name = "Inhaber " + person,
            userId = person + "-inhaber",
            userTenant = tenant,
            hasVotingRight = false,
        });

        // The person is recorded as a member; between that request's checks and its save, another request seats the
        // same person as the deputy of another record.
        HttpStatusCode? deputyStatus = null;
        service.Saves.BeforeNextSave("POST", "/api/network/steering/members", async _ =>
        {
            using var response = await coordinator.PutAsJsonAsync($"/api/network/steering/members/{holder.Id()}", new
            {
                hasVotingRight = false,
                deputyName = "Stellvertretung " + person,
                deputyUserId = person,
                deputyTenant = tenant,
            });
            deputyStatus = response.StatusCode;
        });
        var asMember = await coordinator.PostAsync("/api/network/steering/members", new
        {
            organisationId = group.Organisations[1],
            name = "Mitglied " + person,
            userId = person,
            userTenant = tenant,
            hasVotingRight = false,
        }, HttpStatusCode.Conflict);

        Assert.Equal(HttpStatusCode.OK, deputyStatus);
        Assert.Equal(ProblemTypes.ConcurrentChange, asMember.Str("type"));
        var members = (await coordinator.GetJsonAsync("/api/network/steering/members")).EnumerateArray().ToArray();
        Assert.DoesNotContain(members, m => m.Str("userId") == person);
        Assert.Single(members, m => m.GetProperty("deputyUserId").GetString() == person);
        await using var scope = service.Services.CreateAsyncScope();
        var seats = await scope.ServiceProvider.GetRequiredService<NetworkDbContext>().SteeringSeats.Where(s => s.UserId == person).ToListAsync();
        Assert.True(Assert.Single(seats).AsDeputy);
    }
}
