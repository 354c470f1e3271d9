using System.Net;
using System.Net.Http.Json;
using Kim.NetworkService.Infrastructure;
using Kim.NetworkService.Steering;
using Kim.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kim.NetworkService.FunctionalTests;

[Collection(NetworkCollection.Name)]
public sealed class ConcurrentChangeTests(NetworkServiceFixture service)
{
    [Fact]
    public async Task A_motion_changed_by_another_request_before_the_save_is_a_conflict_and_nothing_is_saved()
    {
        var group = await service.SteeringGroupAsync();
        var motion = await group.TableAsync("Umlaufbeschluss, gleichzeitig geändert");
        var path = $"/api/network/steering/motions/{motion}/circular";
        service.Saves.BeforeNextSave("POST", path, db => db.Set<Motion>().Where(m => m.Id == motion)
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.Revision, m => m.Revision + 1)));

        var conflict = await group.Coordinator.PostAsync(path, new { }, HttpStatusCode.Conflict);

        Assert.Equal("Gleichzeitige Änderung", conflict.Str("title"));
        Assert.Equal(ProblemTypes.ConcurrentChange, conflict.Str("type"));
        var unchanged = await group.Coordinator.GetJsonAsync($"/api/network/steering/motions/{motion}");
        Assert.Equal("Tabled", unchanged.Str("status"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, unchanged.GetProperty("circularDeadline").ValueKind);
        var audit = await group.Coordinator.GetJsonAsync($"/api/network/steering/audit?subjectId={motion}");
        Assert.DoesNotContain(audit.EnumerateArray(), a => a.Str("action") == "motion.circular-started");

        // Reloaded, the same request goes through.
        Assert.Equal("CircularBallot", (await group.Coordinator.PostAsync(path, new { }, HttpStatusCode.OK)).Str("status"));
        await group.Member(SteeringGroup.UserA).PostAsync($"{path}/votes", new { choice = "Yes" }, HttpStatusCode.OK);
        Assert.Equal("Adopted", (await group.Member(SteeringGroup.UserB).PostAsync($"{path}/votes", new { choice = "Yes" }, HttpStatusCode.OK)).Str("status"));
    }

    [Fact]
    public async Task A_database_error_that_is_no_concurrent_change_is_not_answered_as_one()
    {
        var group = await service.SteeringGroupAsync();
        var motion = await group.TableAsync("Umlaufbeschluss, Datenbankfehler");
        var path = $"/api/network/steering/motions/{motion}/circular";
        await group.Coordinator.PostAsync(path, new { }, HttpStatusCode.OK);
        var trigger = "refuse_votes_" + motion.ToString("N");

        // A constraint of the database refuses the vote: an error of the database, not a race with another request.
        await ExecuteAsync($"CREATE TRIGGER {trigger} BEFORE INSERT ON Votes WHEN upper(NEW.MotionId) = '{motion.ToString().ToUpperInvariant()}' " +
            "BEGIN SELECT RAISE(ABORT, 'Speicher nicht verfügbar'); END;");
        HttpResponseMessage response;
        try
        {
            response = await group.Member(SteeringGroup.UserA).PostAsJsonAsync($"{path}/votes", new { choice = "Yes" });
        }
        finally
        {
            await ExecuteAsync($"DROP TRIGGER {trigger};");
        }

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain("Gleichzeitige Änderung", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty((await group.Coordinator.GetJsonAsync($"/api/network/steering/motions/{motion}")).GetProperty("votes").EnumerateArray());
        await group.Member(SteeringGroup.UserA).PostAsync($"{path}/votes", new { choice = "Yes" }, HttpStatusCode.OK);
        Assert.Equal("Adopted", (await group.Member(SteeringGroup.UserB).PostAsync($"{path}/votes", new { choice = "Yes" }, HttpStatusCode.OK)).Str("status"));
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var scope = service.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<NetworkDbContext>().Database.ExecuteSqlRawAsync(sql);
    }
}
