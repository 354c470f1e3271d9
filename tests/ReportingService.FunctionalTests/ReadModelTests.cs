using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kim.Contracts;
using Kim.Contracts.Network;
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
        IReadOnlyList<ServiceChainAdopted> chains = [.. history.OfType<ServiceChainAdopted>().DistinctBy(c => (c.ChainId, c.Version))];
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
        await AssertReportsAsync(expected, chains);

        // The read model lost (its rows deleted): a rebuild from the event store gives it back.
        await service.WithDbAsync(db => db.ReportCounters.ExecuteDeleteAsync());
        await service.WithDbAsync(db => db.OpenReferrals.ExecuteDeleteAsync());
        Assert.Empty((await service.ClientFor().GetFromJsonAsync<OverviewResponse>("/api/reports/overview", Json))!.OpenCasesByTenant);
        var rebuilt = await operatorClient.PostAsync("/api/reports/projections/rebuild", null);

        Assert.Equal(HttpStatusCode.OK, rebuilt.StatusCode);
        Assert.Equal(history.Count, (await rebuilt.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayedEvents").GetInt32());
        await AssertReportsAsync(expected, chains);

        // A rebuild counted with another version of the figures was interrupted after its cases: the next rebuild
        // does not finish it (mixing two versions) but starts over.
        await service.WithDbAsync(async db =>
        {
            var state = await db.ReadModelStates.SingleAsync();
            (state.RebuildGeneration, state.RebuildVersion, state.RebuildWatermark) = (state.ActiveGeneration + 1, ReadModelState.CurrentVersion - 1, DateTime.UtcNow);
            (state.RebuildEventsDone, state.RebuildCasesDone) = (true, true);
            db.ReportCounters.Add(new ReportCounter { Generation = state.ActiveGeneration + 1, Report = Figure.OpenByTenant, Dimension = "kommune", Month = "", Count = 1000 });
            return await db.SaveChangesAsync();
        });
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsync("/api/reports/projections/rebuild", null)).StatusCode);
        await AssertReportsAsync(expected, chains);
    }

    private async Task AssertReportsAsync(Contributions expected, IReadOnlyList<ServiceChainAdopted> chains)
    {
        // Every stored counter of the active generation is the history's (stored with the events, so no waiting).
        var differences = await DifferencesAsync(expected);
        Assert.True(differences.Count == 0, string.Join(Environment.NewLine, differences.Take(20)));

        var client = service.ClientFor();
        var overview = await client.GetFromJsonAsync<OverviewResponse>("/api/reports/overview", Json);
        Assert.Equal(Text(OverviewApi.Of(expected)), Text(overview));
        Assert.NotEmpty(overview!.OpenCasesByTenant);

        var caseWork = await client.GetFromJsonAsync<CaseWork>("/api/reports/case-work", Json);
        Assert.Equal(Text(new CaseWork(Analyses.TimeInPhase(expected), Analyses.Goals(expected))), Text(caseWork));

        // Overdue counts depend on "now": the service's and this one are milliseconds apart.
        var referrals = await client.GetFromJsonAsync<ReferralAnalysis>("/api/reports/referrals", Json);
        Assert.Equal(Text(Analyses.Referrals(expected, DateTime.UtcNow, chains)), Text(referrals));
        Assert.NotEmpty(referrals!.Steps);

        // The store groups the waiting referrals itself: overdue before the first is due, at one of them, and after the last.
        var due = expected.OpenReferrals.Select(r => r.DueAt).Order().ToList();
        Assert.NotEmpty(due);
        foreach (var moment in new[] { due[0].AddSeconds(-1), due[due.Count / 2], due[^1].AddSeconds(1) })
        {
            var counted = await service.WithDbAsync(db => ReadModelStore.LoadAsync(db, [Figure.StepReferrals], withWaiting: true, CancellationToken.None));
            Assert.Equal(Text(expected.OverdueByStep(moment).OrderBy(s => s.Key)), Text(counted.OverdueByStep(moment).OrderBy(s => s.Key)));
        }

        var indicators = await client.GetFromJsonAsync<PracticeIndicators>("/api/reports/indicators", Json);
        var expectedIndicators = Analyses.Practice(expected, [], [], DateTime.UtcNow);
        Assert.Equal(Text(expectedIndicators.CaseReviewsPerMonth), Text(indicators!.CaseReviewsPerMonth));
        Assert.Equal(Text(expectedIndicators.CaseConferencesPerMonth), Text(indicators.CaseConferencesPerMonth));
        Assert.Equal(Text(expectedIndicators.ReconstructionsPerMonth), Text(indicators.ReconstructionsPerMonth));
        Assert.Equal(expectedIndicators.ShareOfCasesWithReferrals, indicators.ShareOfCasesWithReferrals);
        Assert.Equal(["caritas", "diakonie", "kommune"], indicators.TenantsActiveLast30Days);
    }

    private async Task<List<string>> DifferencesAsync(Contributions expected)
    {
        var stored = await service.WithDbAsync(async db =>
        {
            var generation = (await db.ReadModelStates.AsNoTracking().SingleAsync()).ActiveGeneration;
            return await db.ReportCounters.AsNoTracking().Where(c => c.Generation == generation).ToListAsync();
        });
        var actual = stored.ToDictionary(c => new CounterKey(c.Report, c.Dimension, c.Month, c.Bucket), c => c.Count);
        return [.. expected.Counters.Keys.Union(actual.Keys)
            .Where(key => expected.Counters.GetValueOrDefault(key) != actual.GetValueOrDefault(key))
            .Select(key => $"{key}: expected {expected.Counters.GetValueOrDefault(key)}, stored {actual.GetValueOrDefault(key)}")];
    }

    private static string Text<T>(T value) => JsonSerializer.Serialize(value, Json);
}
