using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kim.Contracts;
using Kim.ReportingService.Monitoring;
using Kim.ReportingService.Overview;
using Kim.ReportingService.ReadModels;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.EntityFrameworkCore;

namespace Kim.ReportingService.FunctionalTests;

/// <summary>
/// The reports read counters updated event by event. Whatever order the events arrive in, however often, and with a
/// rebuild running beside the ingestion, the stored read model ends equal to the figures of the whole history.
/// </summary>
public sealed class ReadModelTests(ReportingServiceFixture service) : IClassFixture<ReportingServiceFixture>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    [Fact]
    public async Task Events_in_any_order_twice_and_during_a_rebuild_give_the_figures_of_the_history_and_a_rebuild_repairs_a_lost_read_model()
    {
        var now = DateTime.UtcNow;
        var history = YearOfEvents.Create(["kommune", "caritas", "diakonie"], casesPerTenant: 12, now, seed: 17);
        var random = new Random(17);
        var arrival = history.OrderBy(_ => random.Next()).ToList();
        // Every tenth event is delivered twice, as a broker may redeliver.
        arrival.AddRange(arrival.Where((_, i) => i % 10 == 0).ToList());
        var operatorClient = service.ClientFor(role: KimRoles.Operator);

        // The first half arrives and is stored; the rebuild replays it in batches while the second half arrives.
        var half = arrival.Count / 2;
        foreach (var integrationEvent in arrival[..half])
        {
            await service.PublishAsync((dynamic)integrationEvent);
        }

        var firstHalf = arrival[..half].DistinctBy(e => e.MessageId).Count();
        await Eventually.TrueAsync(
            () => service.WithDbAsync(db => db.StoredEvents.CountAsync().ContinueWith(t => t.Result == firstHalf)), "the first half stored", TimeSpan.FromMinutes(2));
        var rebuild = operatorClient.PostAsync("/api/reports/projections/rebuild", null);
        foreach (var integrationEvent in arrival[half..])
        {
            await service.PublishAsync((dynamic)integrationEvent);
        }

        Assert.Equal(HttpStatusCode.OK, (await rebuild).StatusCode);
        await Eventually.TrueAsync(
            () => service.WithDbAsync(db => db.StoredEvents.CountAsync().ContinueWith(t => t.Result == history.Count)),
            "every event stored", TimeSpan.FromMinutes(2));
        var expected = CaseFigures.OfHistory(history);
        await AssertReportsAsync(expected);

        // The read model lost (its rows deleted): a rebuild from the event store gives it back.
        await service.WithDbAsync(db => db.ReportCounters.ExecuteDeleteAsync());
        await service.WithDbAsync(db => db.OpenReferrals.ExecuteDeleteAsync());
        Assert.Empty((await service.ClientFor().GetFromJsonAsync<OverviewResponse>("/api/reports/overview", Json))!.OpenCasesByTenant);
        var rebuilt = await operatorClient.PostAsync("/api/reports/projections/rebuild", null);

        Assert.Equal(HttpStatusCode.OK, rebuilt.StatusCode);
        Assert.Equal(history.Count, (await rebuilt.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayedEvents").GetInt32());
        await AssertReportsAsync(expected);
    }

    private async Task AssertReportsAsync(Contributions expected)
    {
        var client = service.ClientFor();
        var overview = await client.GetFromJsonAsync<OverviewResponse>("/api/reports/overview", Json);
        Assert.Equal(Text(OverviewApi.Of(expected)), Text(overview));
        Assert.NotEmpty(overview!.OpenCasesByTenant);

        var caseWork = await client.GetFromJsonAsync<CaseWork>("/api/reports/case-work", Json);
        Assert.Equal(Text(new CaseWork(Analyses.TimeInPhase(expected), Analyses.Goals(expected))), Text(caseWork));

        // Overdue counts depend on "now": the service's and this one are milliseconds apart.
        var referrals = await client.GetFromJsonAsync<ReferralAnalysis>("/api/reports/referrals", Json);
        Assert.Equal(Text(Analyses.Referrals(expected, DateTime.UtcNow)), Text(referrals));
        Assert.NotEmpty(referrals!.Steps);

        var indicators = await client.GetFromJsonAsync<PracticeIndicators>("/api/reports/indicators", Json);
        var expectedIndicators = Analyses.Practice(expected, [], [], DateTime.UtcNow);
        Assert.Equal(Text(expectedIndicators.CaseReviewsPerMonth), Text(indicators!.CaseReviewsPerMonth));
        Assert.Equal(Text(expectedIndicators.CaseConferencesPerMonth), Text(indicators.CaseConferencesPerMonth));
        Assert.Equal(Text(expectedIndicators.ReconstructionsPerMonth), Text(indicators.ReconstructionsPerMonth));
        Assert.Equal(expectedIndicators.ShareOfCasesWithReferrals, indicators.ShareOfCasesWithReferrals);
        Assert.Equal(["caritas", "diakonie", "kommune"], indicators.TenantsActiveLast30Days);
    }

    private static string Text<T>(T value) => JsonSerializer.Serialize(value, Json);
}
