using System.Net.Http.Json;
using System.Text.Json;
using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.Testing;

namespace Kim.ReportingService.FunctionalTests;

/// <summary>Referral handovers per chain step, from events on the real broker, first on the coordinator's dashboard.</summary>
public sealed class MonitoringTests(ReportingServiceFixture service) : IClassFixture<ReportingServiceFixture>
{
    [Fact]
    public async Task The_dashboard_ranks_the_stalling_chain_step_first_and_duplicates_or_disorder_change_nothing()
    {
        var chain = Guid.NewGuid();
        var now = DateTime.UtcNow;
        var events = new List<IntegrationEvent>();
        ReferralIssued Issue(int step, int target, int daysAgo) => new()
        {
            TenantId = "caritas",
            CaseKey = "case-" + Guid.NewGuid().ToString("N")[..8],
            ReferralId = Guid.NewGuid(),
            ProviderOrganisationId = Guid.NewGuid(),
            ProviderOrganisationName = step == 1 ? "VHS Sprachkurse" : "Jobcenter",
            LegalDomain = step == 1 ? LegalDomain.SgbIII : LegalDomain.SgbII,
            LifeDomain = LifeDomain.TrainingWork,
            ServiceChainId = chain,
            ServiceChainVersion = 1,
            ChainStepOrder = step,
            TargetDays = target,
            OccurredAt = now.AddDays(-daysAgo),
        };
        ReferralStatusChanged Answer(ReferralIssued referral, ReferralStatus status, int daysAgo) => new()
        {
            TenantId = "caritas",
            CaseKey = referral.CaseKey,
            ReferralId = referral.ReferralId,
            Status = status,
            OccurredAt = now.AddDays(-daysAgo),
            Reason = status == ReferralStatus.Rejected ? "Keine Kapazität" : null,
        };

        var a1 = Issue(1, 10, 30);
        var a2 = Issue(1, 10, 20);
        var b1 = Issue(2, 5, 30);
        var b2 = Issue(2, 5, 12);
        var b3 = Issue(2, 5, 9);
        var b3Accepted = Answer(b3, ReferralStatus.Accepted, 1);
        events.AddRange([Answer(a2, ReferralStatus.Accepted, 17), a1, Answer(a1, ReferralStatus.Accepted, 28), Answer(a1, ReferralStatus.Started, 27),
            Answer(a1, ReferralStatus.Completed, 25), a2, Answer(a2, ReferralStatus.Started, 16), Answer(a2, ReferralStatus.Completed, 12), b1, Answer(b1, ReferralStatus.Rejected, 20), b2, b3, b3Accepted, b3Accepted]);
        foreach (var e in events)
        {
            await service.PublishAsync((dynamic)e);
        }

        // Wait until every distinct event is stored (the duplicate is stored once), then read the reports once.
        var referralIds = new[] { a1, a2, b1, b2, b3 }.Select(r => r.ReferralId.ToString()).ToList();
        var distinct = events.Select(e => e.MessageId).Distinct().Count();
        await Eventually.TrueAsync(async () => await service.WithDbAsync(db => Task.FromResult(db.StoredEvents.AsEnumerable()
            .Count(e => referralIds.Any(id => e.Payload.Contains(id, StringComparison.Ordinal))))) == distinct, "every referral event to be stored");

        var client = service.ClientFor("kommune", "coordinator");
        var dashboard = await client.GetFromJsonAsync<JsonElement>("/api/reports/dashboard");
        var step2 = new Box(dashboard.GetProperty("bottlenecks").EnumerateArray().Single(s => s.GetProperty("chainId").GetGuid() == chain));
        Assert.Equal(2, step2.Value.GetProperty("step").GetInt32());
        Assert.Equal(3, step2.Value.GetProperty("referrals").GetInt32());
        Assert.Equal(9, step2.Value.GetProperty("medianDays").GetDouble());
        Assert.Equal(5, step2.Value.GetProperty("targetDays").GetInt32());
        // b2 (never answered) and b3 (accepted, not completed) are open past their 5 days.
        Assert.Equal(2, step2.Value.GetProperty("overdue").GetInt32());
        Assert.Equal(0.5, step2.Value.GetProperty("rejectionRate").GetDouble());
        // 2 of 3 overdue + rejection rate 0.5 + median 9 days against 5 target days (0.8).
        Assert.Equal(1.97, step2.Value.GetProperty("bottleneckScore").GetDouble());

        var referrals = await client.GetFromJsonAsync<JsonElement>("/api/reports/referrals");
        var step1 = referrals.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("chainId").GetGuid() == chain && s.GetProperty("step").GetInt32() == 1);
        Assert.Equal(2.5, step1.GetProperty("medianDays").GetDouble());
        Assert.Equal(0, step1.GetProperty("bottleneckScore").GetDouble());
        Assert.DoesNotContain(referrals.GetProperty("bottlenecks").EnumerateArray(), s => s.GetProperty("chainId").GetGuid() == chain && s.GetProperty("step").GetInt32() == 1);

        var csv = await client.GetStringAsync("/api/reports/referrals/bottlenecks.csv");
        Assert.Contains($"{chain};1;2;3;5;9;10;2;0,5;1,97", csv, StringComparison.Ordinal);
        var caseWork = await client.GetStringAsync("/api/reports/case-work.csv");
        Assert.Contains("Phase;abgeschlossene Aufenthalte;Median (Tage);P90 (Tage)", caseWork, StringComparison.Ordinal);
        Assert.Contains("Ziele vereinbart;bei Abschluss bewertet;erreicht;teilweise erreicht", caseWork, StringComparison.Ordinal);
    }

    private sealed record Box(JsonElement Value);
}
