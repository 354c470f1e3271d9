using System.Net.Http.Json;
using System.Text.Json;
using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.Contracts.Network;
using Kim.Testing;
using Microsoft.EntityFrameworkCore;

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
        var adopted = new ServiceChainAdopted
        {
            ChainId = chain,
            Version = 1,
            Title = "Arbeitsmarkt",
            LifeDomain = LifeDomain.TrainingWork,
            ResolutionNumber = "LG-2026-07",
            OccurredAt = now.AddDays(-40),
            Steps =
            [
                new ChainStep(1, "Sprachkurs", Guid.NewGuid(), "VHS Sprachkurse", LegalDomain.SgbIII, new HandoverPoint("", "", ""), 10),
                new ChainStep(2, "Beratung Jobcenter", Guid.NewGuid(), "Jobcenter", LegalDomain.SgbII, new HandoverPoint("", "", ""), 5),
            ],
        };
        await service.PublishAsync(adopted);
        foreach (var e in events)
        {
            await service.PublishAsync((dynamic)e);
        }

        // Wait until every distinct event is stored (the duplicate is stored once), then read the reports once.
        var referralIds = new[] { a1, a2, b1, b2, b3 }.Select(r => r.ReferralId.ToString()).ToList();
        var distinct = events.Select(e => e.MessageId).Distinct().Count();
        await Eventually.TrueAsync(async () => await service.WithDbAsync(db => Task.FromResult(db.StoredEvents.AsEnumerable()
            .Count(e => referralIds.Any(id => e.Payload.Contains(id, StringComparison.Ordinal))))) == distinct
            && await service.WithDbAsync(db => db.StoredEvents.AnyAsync(e => e.MessageId == adopted.MessageId)), "every referral event and the chain to be stored");

        var client = service.ClientFor("kommune", "coordinator");
        var dashboard = await client.GetFromJsonAsync<JsonElement>("/api/reports/dashboard");
        var step2 = new Box(dashboard.GetProperty("bottlenecks").EnumerateArray().Single(s => s.GetProperty("chainId").GetGuid() == chain));
        Assert.Equal(2, step2.Value.GetProperty("step").GetInt32());
        Assert.Equal(3, step2.Value.GetProperty("referrals").GetInt32());
        // Handover by Kaplan-Meier: b3 answered after 8 days, b1 after 10, b2 still waiting after 12: the median is 10 days.
        Assert.Equal(10, step2.Value.GetProperty("medianDays").GetDouble());
        Assert.Equal(5, step2.Value.GetProperty("targetDays").GetInt32());
        Assert.Equal(("Arbeitsmarkt", "Beratung Jobcenter", "Jobcenter"), (step2.Value.GetProperty("chain").GetString(), step2.Value.GetProperty("activity").GetString(), step2.Value.GetProperty("provider").GetString()));
        // b1 and b3 were answered late (after 10 and 8 days against 5), b2 waits past its target; b3 accepted is no longer waiting.
        Assert.Equal((2, 1, 3), (step2.Value.GetProperty("answeredLate").GetInt32(), step2.Value.GetProperty("waitingPastTarget").GetInt32(), step2.Value.GetProperty("overdue").GetInt32()));
        Assert.Equal(0.5, step2.Value.GetProperty("rejectionRate").GetDouble());
        // All 3 past target + rejection rate 0.5 + median 10 days against 6 allowed (0.67).
        Assert.Equal(2.17, step2.Value.GetProperty("bottleneckScore").GetDouble());

        var referrals = await client.GetFromJsonAsync<JsonElement>("/api/reports/referrals");
        var step1 = referrals.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("chainId").GetGuid() == chain && s.GetProperty("step").GetInt32() == 1);
        Assert.Equal(2, step1.GetProperty("medianDays").GetDouble());
        Assert.Equal(0, step1.GetProperty("bottleneckScore").GetDouble());
        Assert.DoesNotContain(referrals.GetProperty("bottlenecks").EnumerateArray(), s => s.GetProperty("chainId").GetGuid() == chain && s.GetProperty("step").GetInt32() == 1);

        var csv = await client.GetStringAsync("/api/reports/referrals/bottlenecks.csv");
        Assert.Contains($";Arbeitsmarkt;1;2;Beratung Jobcenter;Jobcenter;3;2;1;5;10;;2;1;1;0,5;2,17;0;{chain}", csv, StringComparison.Ordinal);
        var caseWork = await client.GetStringAsync("/api/reports/case-work.csv");
        Assert.Contains("Phase;abgeschlossene Aufenthalte;Median (Tage);P90 (Tage)", caseWork, StringComparison.Ordinal);
        Assert.Contains("Ziele vereinbart;bei Abschluss bewertet;erreicht;teilweise erreicht", caseWork, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_comparison_shows_version_2_of_a_chain_handing_over_faster_than_version_1_and_refuses_bad_input_in_german()
    {
        var chain = Guid.NewGuid();
        var now = DateTime.UtcNow;
        IEnumerable<IntegrationEvent> Handover(int version, int daysAgo, int days)
        {
            var referral = new ReferralIssued
            {
                TenantId = "kommune",
                CaseKey = "case-" + Guid.NewGuid().ToString("N")[..8],
                ReferralId = Guid.NewGuid(),
                ProviderOrganisationId = Guid.NewGuid(),
                ProviderOrganisationName = "Ausländerbehörde",
                LegalDomain = LegalDomain.AufenthG,
                LifeDomain = LifeDomain.Residence,
                ServiceChainId = chain,
                ServiceChainVersion = version,
                ChainStepOrder = 1,
                TargetDays = 7,
                OccurredAt = now.AddDays(-daysAgo),
            };
            return [referral, new ReferralStatusChanged { TenantId = "kommune", CaseKey = referral.CaseKey, ReferralId = referral.ReferralId, Status = ReferralStatus.Accepted, OccurredAt = referral.OccurredAt.AddDays(days) }];
        }

        List<IntegrationEvent> events = [.. Handover(1, 100, 30), .. Handover(1, 90, 20), .. Handover(2, 40, 2), .. Handover(2, 30, 4)];
        foreach (var e in events)
        {
            await service.PublishAsync((dynamic)e);
        }

        var ids = events.Select(e => e.MessageId).ToList();
        await Eventually.TrueAsync(async () => await service.WithDbAsync(db => db.StoredEvents.CountAsync(e => ids.Contains(e.MessageId))) == ids.Count, "every event stored");
        var client = service.ClientFor("kommune", "coordinator");

        var comparison = await client.GetFromJsonAsync<JsonElement>($"/api/reports/referrals/comparison?chain={chain}&versionA=1&versionB=2");

        var step = comparison.GetProperty("steps").EnumerateArray().Single();
        Assert.Equal((20.0, 2.0, -18.0), (step.GetProperty("a").GetProperty("medianDays").GetDouble(), step.GetProperty("b").GetProperty("medianDays").GetDouble(),
            step.GetProperty("medianChangeDays").GetDouble()));
        Assert.Equal((2, 1.0), (comparison.GetProperty("a").GetProperty("overdue").GetInt32(), comparison.GetProperty("a").GetProperty("sharePastTarget").GetDouble()));
        Assert.Equal((2, 0.0), (comparison.GetProperty("b").GetProperty("referrals").GetInt32(), comparison.GetProperty("b").GetProperty("sharePastTarget").GetDouble()));

        var bad = await client.GetAsync("/api/reports/referrals/comparison?chain=kette-1&fromA=2026-13&toB=gestern");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("Dienstleistungskette", problem.GetProperty("errors").GetProperty("chain")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("JJJJ-MM", problem.GetProperty("errors").GetProperty("fromA")[0].GetString(), StringComparison.Ordinal);
        Assert.True(problem.GetProperty("errors").TryGetProperty("toB", out _));
    }

    private sealed record Box(JsonElement Value);
}
