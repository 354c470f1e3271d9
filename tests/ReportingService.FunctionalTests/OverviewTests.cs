using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kim.Contracts.Cases;
using Kim.Testing;
using Microsoft.EntityFrameworkCore;

namespace Kim.ReportingService.FunctionalTests;

public sealed class OverviewTests(ReportingServiceFixture service) : IClassFixture<ReportingServiceFixture>
{
    private static CaseOpened Opened(string tenant) => new()
    {
        OccurredAt = DateTime.UtcNow,
        TenantId = tenant,
        CaseKey = Guid.NewGuid().ToString("N")[..22],
        AgeBand = "27-44",
        ResidenceCategory = "Unknown",
        AccessRoute = "Unknown",
    };

    [Fact]
    public async Task Consumed_CaseOpened_events_count_as_open_cases_of_their_tenant()
    {
        var tenant = "t" + Guid.NewGuid().ToString("N")[..8];
        var other = "t" + Guid.NewGuid().ToString("N")[..8];

        await service.PublishAsync(Opened(tenant));
        await service.PublishAsync(Opened(tenant));
        await service.PublishAsync(Opened(other));

        var overview = await WaitForCountAsync(tenant, 2);
        Assert.Equal(2, overview.GetProperty(tenant).GetInt32());
        overview = await WaitForCountAsync(other, 1);
        Assert.Equal(1, overview.GetProperty(other).GetInt32());
        Assert.Equal(3, await service.WithDbAsync(db => db.StoredEvents.CountAsync(e => e.TenantId == tenant || e.TenantId == other)));
    }

    [Fact]
    public async Task The_same_event_delivered_twice_is_applied_once()
    {
        var tenant = "t" + Guid.NewGuid().ToString("N")[..8];
        var opened = Opened(tenant);
        var marker = Opened(tenant);

        await service.PublishAsync(opened);
        await service.PublishAsync(opened);
        await service.PublishAsync(opened);
        // A later, distinct event on the same queue: once it is applied, the duplicates before it have been consumed too.
        await service.PublishAsync(marker);
        await Eventually.TrueAsync(() => service.WithDbAsync(db => db.StoredEvents.AnyAsync(e => e.MessageId == opened.MessageId)), "the event to be stored");
        await Eventually.TrueAsync(() => service.WithDbAsync(db => db.StoredEvents.AnyAsync(e => e.MessageId == marker.MessageId)), "the later event to be stored");

        var overview = await service.ClientFor().GetFromJsonAsync<JsonElement>("/api/reports/overview");
        Assert.Equal(2, overview.GetProperty("openCasesByTenant").GetProperty(tenant).GetInt32());
        Assert.Equal(2, await service.WithDbAsync(db => db.StoredEvents.CountAsync(e => e.TenantId == tenant)));
        Assert.Equal(1, await service.WithDbAsync(db => db.StoredEvents.CountAsync(e => e.MessageId == opened.MessageId)));
        Assert.Equal(1, await service.WithDbAsync(db => db.InboxMessages.CountAsync(e => e.MessageId == opened.MessageId)));
    }

    [Fact]
    public async Task Stored_events_keep_no_more_than_the_event_carried()
    {
        var opened = Opened("t" + Guid.NewGuid().ToString("N")[..8]);
        await service.PublishAsync(opened);
        await Eventually.TrueAsync(() => service.WithDbAsync(db => db.StoredEvents.AnyAsync(e => e.MessageId == opened.MessageId)), "the event to be stored");

        var stored = await service.WithDbAsync(db => db.StoredEvents.SingleAsync(e => e.MessageId == opened.MessageId));
        Assert.Equal(nameof(CaseOpened), stored.EventType);
        var payload = JsonDocument.Parse(stored.Payload).RootElement;
        Assert.Equal(opened.CaseKey, payload.GetProperty("CaseKey").GetString());
    }

    [Fact]
    public async Task Overview_requires_a_token()
    {
        var response = await service.CreateClient().GetAsync("/api/reports/overview");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<JsonElement> WaitForCountAsync(string tenant, int expected)
    {
        var client = service.ClientFor();
        var overview = default(JsonElement);
        await Eventually.TrueAsync(async () =>
        {
            overview = (await client.GetFromJsonAsync<JsonElement>("/api/reports/overview")).GetProperty("openCasesByTenant");
            return overview.TryGetProperty(tenant, out var count) && count.GetInt32() >= expected;
        }, $"tenant {tenant} to reach {expected} open cases");
        return overview;
    }
}
