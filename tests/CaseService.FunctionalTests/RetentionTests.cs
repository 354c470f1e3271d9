using System.Text.Json;
using Kim.CaseService.Cases;
using Kim.CaseService.Retention;
using Kim.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kim.CaseService.FunctionalTests;

/// <summary>Which clients the retention job anonymises: those whose cases all ended, not-indicated ones included, and no one with an open case.</summary>
[Collection(CaseServiceCollection.Name)]
public sealed class RetentionTests(CaseServiceFixture service)
{
    private CaseApiClient Api() => new(service.ClientFor(CaseServiceFixture.Tenant), CaseServiceFixture.Tenant, service.Clock);

    [Fact]
    public async Task A_case_ended_as_not_indicated_is_anonymised_after_the_retention_period_and_a_case_still_open_is_not()
    {
        var api = Api();
        var familyName = "Unindiziert" + Unique();
        var id = (await api.OpenAsync("Oleh", familyName)).GetProperty("id").GetGuid();
        await api.PutAsync($"/cases/{id}/indication", new { targetGroup = true, willingToCooperate = false, communicationPossible = true });
        await api.PostAsync($"/cases/{id}/not-indicated", new { reason = "Einmalige Beratung reicht", referredToType = "OtherCaseManagement" });
        var openFamilyName = "Offen" + Unique();
        var openId = (await api.OpenAsync("Mira", openFamilyName)).GetProperty("id").GetGuid();

        await RunRetentionAsync();
        Assert.Equal(familyName, (await api.GetAsync($"/cases/{id}")).GetProperty("client").GetProperty("familyName").GetString());

        service.Clock.Advance(TimeSpan.FromDays(731));
        await RunRetentionAsync();

        var ended = await api.GetAsync($"/cases/{id}");
        Assert.True(ended.GetProperty("client").GetProperty("anonymised").GetBoolean());
        Assert.Equal(JsonValueKind.Null, ended.GetProperty("client").GetProperty("familyName").ValueKind);
        Assert.Equal(JsonValueKind.Null, ended.GetProperty("notIndicatedReason").ValueKind);
        Assert.Equal("NotIndicated", ended.GetProperty("status").GetString());
        Assert.Equal("OtherCaseManagement", ended.GetProperty("referredToType").GetString());
        Assert.Equal(0, (await api.PostAsync("/cases/search", new { status = "NotIndicated", name = familyName })).GetProperty("total").GetInt32());
        var clientId = await service.WithDbAsync(db => db.Cases.Where(c => c.Id == id).Select(c => c.ClientId).SingleAsync());
        Assert.Equal(1, await service.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.Action == "client.anonymised" && a.ResourceId == clientId.ToString())));

        // Opened more than two years ago and still open: the client is still counselled.
        var open = await api.GetAsync($"/cases/{openId}");
        Assert.False(open.GetProperty("client").GetProperty("anonymised").GetBoolean());
        Assert.Equal(openFamilyName, open.GetProperty("client").GetProperty("familyName").GetString());
    }

    [Fact]
    public async Task A_client_with_an_open_case_keeps_the_identity_though_an_earlier_case_of_theirs_ended_long_ago()
    {
        var api = Api();
        var familyName = "Wiederkehr" + Unique();
        var (id, _) = await api.CaseInAsync("GoalAgreement", "Leyla", familyName);
        var now = service.Clock.GetUtcNow().UtcDateTime;
        var clientId = await service.WithDbAsync(db => db.Cases.Where(c => c.Id == id).Select(c => c.ClientId).SingleAsync());

        // The same client's earlier case, closed three years ago.
        var earlierId = Guid.CreateVersion7();
        await service.WithDbAsync(db =>
        {
            db.Cases.Add(new Case
            {
                Id = earlierId,
                ClientId = clientId,
                CaseKey = "earlier-" + Unique(),
                AssignedTo = "test-user",
                Phase = CasePhase.Closure,
                Status = CaseStatus.Closed,
                OpenedAt = now.AddDays(-1200),
                ClosedAt = now.AddDays(-1100),
                ClosureReason = "Umzug",
            });
            return db.SaveChangesAsync();
        });

        await RunRetentionAsync();

        var current = await api.GetAsync($"/cases/{id}");
        Assert.False(current.GetProperty("client").GetProperty("anonymised").GetBoolean());
        Assert.Equal(familyName, current.GetProperty("client").GetProperty("familyName").GetString());
        Assert.NotEqual(JsonValueKind.Null, current.GetProperty("assessments")[0].GetProperty("situation").ValueKind);
        Assert.Equal(1, (await api.PostAsync("/cases/search", new { name = familyName })).GetProperty("total").GetInt32());
        Assert.Equal("Umzug", (await api.GetAsync($"/cases/{earlierId}")).GetProperty("closureReason").GetString());

        // Once the open case, too, ended longer ago than the retention period, the identity goes.
        await service.WithDbAsync(async db =>
        {
            var found = await db.Cases.SingleAsync(c => c.Id == id);
            found.Status = CaseStatus.Closed;
            found.ClosedAt = now.AddDays(-731);
            return await db.SaveChangesAsync();
        });
        await RunRetentionAsync();
        Assert.True((await api.GetAsync($"/cases/{id}")).GetProperty("client").GetProperty("anonymised").GetBoolean());
    }

    /// <summary>Runs the job until nothing more is due (other tests' clients may be due as well).</summary>
    private async Task RunRetentionAsync()
    {
        var job = service.Services.GetRequiredService<RetentionJob>();
        for (var pass = 0; pass < 20 && await job.RunOnceAsync(CancellationToken.None) > 0; pass++)
        {
        }
    }

    private static string Unique() => Guid.NewGuid().ToString("N")[..8];
}
