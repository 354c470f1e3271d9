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
        // The fixture holds only this test's events: every figure of the overview is exactly theirs.
        var overview = await reader.GetFromJsonAsync<JsonElement>("/api/reports/overview");
        var month = events[^1].OccurredAt.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(new Dictionary<string, int> { [tenant] = 3 }, Counts(overview, "openCasesByTenant"));
        Assert.Equal(new Dictionary<string, int> { ["Intake"] = 2, ["Monitoring"] = 1 }, Counts(overview, "openCasesByPhase"));
        Assert.Equal(new Dictionary<string, int> { ["27-44"] = 3 }, Counts(overview, "openCasesByAgeBand"));
        Assert.Equal(new Dictionary<string, int> { [month] = 5 }, Counts(overview, "openedPerMonth"));
        // keys[0] closed and keys[1] not indicated; keys[2] was closed, then reopened.
        Assert.Equal(new Dictionary<string, int> { [month] = 2 }, Counts(overview, "endedPerMonth"));

        // A damaged projection is repaired by the rebuild.
        await service.WithDbAsync(db => db.ReportCounters.Where(c => c.Report == ReadModels.Figure.OpenByTenant && c.Dimension == tenant).ExecuteDeleteAsync());
        Assert.False((await reader.GetFromJsonAsync<JsonElement>("/api/reports/overview")).GetProperty("openCasesByTenant").TryGetProperty(tenant, out _));
        var refused = await reader.PostAsync("/api/reports/projections/rebuild", null);
        var rebuilt = await service.ClientFor(role: KimRoles.Operator).PostAsync("/api/reports/projections/rebuild", null);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rebuilt.StatusCode);
        var body = await rebuilt.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(events.Count, body.GetProperty("replayedEvents").GetInt32());
        Assert.Equal(overview.GetRawText(), body.GetProperty("overview").GetRawText());
        Assert.Equal(live, (await reader.GetFromJsonAsync<JsonElement>("/api/reports/overview")).GetProperty("openCasesByTenant").GetProperty(tenant).GetInt32());
    }

    private static Dictionary<string, int> Counts(JsonElement overview, string name) =>
        overview.GetProperty(name).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
}
