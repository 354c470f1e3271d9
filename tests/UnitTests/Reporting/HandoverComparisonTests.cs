using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.Contracts.Network;
using Kim.ReportingService.Monitoring;
using Kim.ReportingService.ReadModels;
using Kim.ReportingService.State;

namespace Kim.UnitTests.Reporting;

/// <summary>Before and after: a chain's handovers for version 1 against version 2, or two periods, and what they add to the dimension scores.</summary>
public sealed class HandoverComparisonTests
{
    private static readonly DateTime Now = new(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc);
    private static readonly Guid Chain = Guid.Parse("0195b000-0000-7000-8000-0000000000c2");

    private static IEnumerable<IntegrationEvent> Handover(int version, int step, DateTime issued, double days)
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
            ServiceChainId = Chain,
            ServiceChainVersion = version,
            ChainStepOrder = step,
            TargetDays = 7,
            OccurredAt = issued,
        };
        return [referral, new ReferralStatusChanged { TenantId = "kommune", CaseKey = referral.CaseKey, ReferralId = referral.ReferralId, Status = ReferralStatus.Accepted, OccurredAt = issued.AddDays(days) }];
    }

    /// <summary>Version 1 in the first half of 2026 stalls at step 2 (30 days); version 2 from July hands over in 3.</summary>
    private static List<IntegrationEvent> History() =>
    [
        .. Enumerable.Range(1, 6).SelectMany(m => Handover(1, 1, new DateTime(2026, m, 5, 9, 0, 0, DateTimeKind.Utc), 2)),
        .. Enumerable.Range(1, 6).SelectMany(m => Handover(1, 2, new DateTime(2026, m, 8, 9, 0, 0, DateTimeKind.Utc), 30)),
        .. Enumerable.Range(7, 4).SelectMany(m => Handover(2, 1, new DateTime(2026, m, 5, 9, 0, 0, DateTimeKind.Utc), 2)),
        .. Enumerable.Range(7, 4).SelectMany(m => Handover(2, 2, new DateTime(2026, m, 8, 9, 0, 0, DateTimeKind.Utc), 3)),
    ];

    [Fact]
    public void Version_2_against_version_1_shows_the_faster_handover_per_step_and_overall()
    {
        var comparison = Analyses.Compare(CaseFigures.OfHistory(History()), Now, [], Chain, new HandoverSide(1, null, null), new HandoverSide(2, null, null));

        Assert.Equal([1, 2], comparison.Steps.Select(s => s.Step));
        var stalled = comparison.Steps.Single(s => s.Step == 2);
        Assert.Equal((30.0, 3.0, -27.0, -1.0), (stalled.A!.MedianDays, stalled.B!.MedianDays, stalled.MedianChangeDays, stalled.SharePastTargetChange));
        Assert.Equal(0.0, comparison.Steps.Single(s => s.Step == 1).MedianChangeDays);
        Assert.Equal((12, 6, 0.5), (comparison.A.Referrals, comparison.A.Overdue, comparison.A.SharePastTarget));
        Assert.Equal((8, 0, 0.0), (comparison.B.Referrals, comparison.B.Overdue, comparison.B.SharePastTarget));
    }

    [Fact]
    public void Two_periods_compare_the_referrals_issued_in_each()
    {
        var comparison = Analyses.Compare(
            CaseFigures.OfHistory(History()), Now, [], Chain, new HandoverSide(null, "2026-01", "2026-03"), new HandoverSide(null, "2026-08", null));

        // January to March: three of each step of version 1; from August: three of each step of version 2.
        Assert.Equal((6, 3), (comparison.A.Referrals, comparison.A.Overdue));
        Assert.Equal((6, 0), (comparison.B.Referrals, comparison.B.Overdue));
        Assert.Equal(-27.0, comparison.Steps.Single(s => s.Step == 2).MedianChangeDays);
    }

    [Fact]
    public void Faster_handovers_raise_the_case_to_system_dimension_and_an_unmeasured_one_changes_nothing()
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse("""{"systemLevel": {"serviceChains": "Yes", "goalSystem": "Yes"}, "caseBasis": {"transferCaseToSystem": "Implemented", "workingGroupsWithWrittenMandate": 1}}""")!;
        var figures = CaseFigures.OfHistory(History());
        double CaseToSystem(HandoverSide side) => Typology.Assess(document, new TypologyOptions(),
                Typology.Handover(Analyses.HandoverWithinTarget(Analyses.Referrals(figures, Now, [], side.Months))))
            .Dimensions.Single(d => d.Dimension == Dimension.CaseToSystem).Score;

        var before = CaseToSystem(new HandoverSide(null, "2026-01", "2026-06"));
        var after = CaseToSystem(new HandoverSide(null, "2026-07", "2026-12"));
        var unmeasured = Typology.Assess(document, new TypologyOptions()).Dimensions.Single(d => d.Dimension == Dimension.CaseToSystem).Score;

        // Four survey indicators at 1; handovers within target 50 % before, 100 % after.
        Assert.Equal((0.9, 1.0, 1.0), (before, after, unmeasured));
    }
}
