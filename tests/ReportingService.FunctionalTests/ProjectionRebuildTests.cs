using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.EntityFrameworkCore;

namespace Kim.ReportingService.FunctionalTests;

/// <summary>Projections come from the event store: a rebuild from scratch gives exactly the live result.</summary>
public sealed class ProjectionRebuildTests(ReportingServiceFixture service) : IClassFixture<ReportingServiceFixture>
{
    private static CaseOpened Opened(string tenant, string caseKey) => new()
    {
        OccurredAt = DateTime.UtcNow,
        TenantId = tenant,
        CaseKey = caseKey,
        AgeBand = "27-44",
        ResidenceCategory = "Unknown",
        AccessRoute = "Unknown",
    };

    [Fact]
    public async Task Closed_and_not_indicated_cases_stop_being_open_and_a_rebuild_gives_the_live_counts()
    {
        var tenant = "t" + Guid.NewGuid().ToString("N")[..8];
        var keys = Enumerable.Range(0, 5).Select(i => $"key-{tenant}-{i}").ToList();
        var events = new List<IntegrationEvent>();
        events.AddRange(keys.Select(key => Opened(tenant, key)));
        events.Add(new CaseClosed { OccurredAt = DateTime.UtcNow, TenantId = tenant, CaseKey = keys[0], Reason = "Ziele erreicht", GoalsAgreed = 2, GoalsAchieved = 2, GoalsPartlyAchieved = 0, DurationDays = 90 });
        events.Add(new CaseNotIndicated { OccurredAt = DateTime.UtcNow, TenantId = tenant, CaseKey = keys[1], ReferredTo = OrganisationType.Jobcenter });
        events.Add(new CaseClosed { OccurredAt = DateTime.UtcNow, TenantId = tenant, CaseKey = keys[2], Reason = "Umzug", GoalsAgreed = 1, GoalsAchieved = 0, GoalsPartlyAchieved = 1, DurationDays = 30 });
        events.Add(new CasePhaseChanged { OccurredAt = DateTime.UtcNow, TenantId = tenant, CaseKey = keys[2], From = CasePhase.Closure, To = CasePhase.Monitoring, IsBackward = true });
        foreach (var integrationEvent in events)
        {
            await service.PublishAsync((dynamic)integrationEvent);
        }

        var reader = service.ClientFor();
        await Eventually.TrueAsync(
            () => service.WithDbAsync(db => db.StoredEvents.CountAsync(e => e.TenantId == tenant).ContinueWith(t => t.Result == events.Count)),
            "every event stored");
        var live = (await reader.GetFromJsonAsync<JsonElement>("/api/reports/overview")).GetProperty("openCasesByTenant").GetProperty(tenant).GetInt32();
        Assert.Equal(5 - 1 - 1 - 1 + 1, live);
        var overview = await reader.GetFromJsonAsync<JsonElement>("/api/reports/overview");
        Assert.True(overview.GetProperty("openCasesByPhase").GetProperty("Monitoring").GetInt32() >= 1);
        Assert.True(overview.GetProperty("openCasesByAgeBand").GetProperty("27-44").GetInt32() >= live);
        Assert.True(overview.GetProperty("endedPerMonth").GetProperty(DateTime.UtcNow.ToString("yyyy-MM")).GetInt32() >= 2);

        // A damaged projection is repaired by the rebuild.
        await service.WithDbAsync(db => db.CaseSnapshots.Where(c => c.TenantId == tenant).ExecuteDeleteAsync());
        Assert.False((await reader.GetFromJsonAsync<JsonElement>("/api/reports/overview")).GetProperty("openCasesByTenant").TryGetProperty(tenant, out _));
        var refused = await reader.PostAsync("/api/reports/projections/rebuild", null);
        var rebuilt = await service.ClientFor(role: KimRoles.Operator).PostAsync("/api/reports/projections/rebuild", null);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rebuilt.StatusCode);
        var body = await rebuilt.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("replayedEvents").GetInt32() >= events.Count);
        Assert.Equal(live, body.GetProperty("overview").GetProperty("openCasesByTenant").GetProperty(tenant).GetInt32());
        Assert.Equal(live, (await reader.GetFromJsonAsync<JsonElement>("/api/reports/overview")).GetProperty("openCasesByTenant").GetProperty(tenant).GetInt32());
    }
}
