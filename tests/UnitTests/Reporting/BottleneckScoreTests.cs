using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.ReportingService.Monitoring;
using Kim.ReportingService.ReadModels;

namespace Kim.UnitTests.Reporting;

/// <summary>
/// Edge cases of the bottleneck score of a chain step (src/ReportingService/docs/reporting.md): share of referrals open
/// past their target days + rejection rate (rejected / answered) + how far the median handover exceeds the target.
/// </summary>
public sealed class BottleneckScoreTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 8, 0, 0, DateTimeKind.Utc);
    private static readonly Guid Chain = Guid.Parse("0195b000-0000-7000-8000-0000000000c1");

    private static ReferralIssued Issue(int step, int targetDays, DateTime at, Guid? chain = null) => new()
    {
        TenantId = "caritas",
        CaseKey = "case-" + Guid.NewGuid().ToString("N")[..8],
        ReferralId = Guid.NewGuid(),
        ProviderOrganisationId = Guid.NewGuid(),
        ProviderOrganisationName = "Jobcenter",
        LegalDomain = LegalDomain.SgbII,
        LifeDomain = LifeDomain.TrainingWork,
        ServiceChainId = chain ?? Chain,
        ServiceChainVersion = 1,
        ChainStepOrder = step,
        TargetDays = targetDays,
        OccurredAt = at,
    };

    private static ReferralStatusChanged Status(ReferralIssued referral, ReferralStatus status, DateTime at) => new()
    {
        TenantId = referral.TenantId,
        CaseKey = referral.CaseKey,
        ReferralId = referral.ReferralId,
        Status = status,
        Reason = status is ReferralStatus.Rejected or ReferralStatus.Cancelled ? "Keine Kapazität" : null,
        OccurredAt = at,
    };

    private static ChainStepHandover Step(ReferralAnalysis analysis, int step) => analysis.Steps.Single(s => s.ChainId == Chain && s.Step == step);

    [Fact]
    public void Without_referrals_of_a_chain_there_is_no_step_and_no_bottleneck()
    {
        var empty = Analyses.Referrals(CaseFigures.OfHistory([]), Now);
        var withoutChain = Issue(1, 5, Now.AddDays(-20)) with { ServiceChainId = null, ServiceChainVersion = null, ChainStepOrder = null };
        var outsideChains = Analyses.Referrals(CaseFigures.OfHistory([withoutChain]), Now);

        Assert.Empty(empty.ByStatus);
        Assert.Equal((0, 0), (empty.Open, empty.Overdue));
        Assert.Empty(empty.Steps);
        Assert.Empty(empty.Bottlenecks);
        // A referral outside any chain is open and overdue, but belongs to no step.
        Assert.Equal((1, 1), (outsideChains.Open, outsideChains.Overdue));
        Assert.Empty(outsideChains.Steps);
        Assert.Empty(outsideChains.Bottlenecks);
    }

    [Fact]
    public void A_step_answered_within_its_target_scores_0_and_is_no_bottleneck()
    {
        var completed = Issue(1, 10, Now.AddDays(-20));
        var acceptedStillOpen = Issue(1, 10, Now.AddDays(-8));
        var atTarget = Issue(2, 4, Now.AddDays(-20));
        IntegrationEvent[] history =
        [
            completed, Status(completed, ReferralStatus.Accepted, Now.AddDays(-17)), Status(completed, ReferralStatus.Completed, Now.AddDays(-15)),
            acceptedStillOpen, Status(acceptedStillOpen, ReferralStatus.Accepted, Now.AddDays(-3)),
            atTarget, Status(atTarget, ReferralStatus.Accepted, Now.AddDays(-16)), Status(atTarget, ReferralStatus.Completed, Now.AddDays(-10)),
        ];

        var analysis = Analyses.Referrals(CaseFigures.OfHistory(history), Now);

        // Handovers of 3 and 5 days against 10; the open one is 2 days short of its target.
        Assert.Equal(new ChainStepHandover(Chain, 1, 1, 2, 10, 4, 5, 0, 0, 0), Step(analysis, 1));
        // A median handover exactly at the target exceeds nothing.
        Assert.Equal(new ChainStepHandover(Chain, 1, 2, 1, 4, 4, 4, 0, 0, 0), Step(analysis, 2));
        Assert.Empty(analysis.Bottlenecks);
    }

    [Fact]
    public void A_referral_is_overdue_only_once_its_target_days_have_passed()
    {
        var referral = Issue(1, 5, Now.AddDays(-5));

        Assert.Equal(0, Step(Analyses.Referrals(CaseFigures.OfHistory([referral]), Now), 1).Overdue);
        Assert.Empty(Analyses.Referrals(CaseFigures.OfHistory([referral]), Now).Bottlenecks);
        var oneTickLater = Analyses.Referrals(CaseFigures.OfHistory([referral]), Now.AddTicks(1));
        Assert.Equal(new ChainStepHandover(Chain, 1, 1, 1, 5, null, null, 1, 0, 1), Step(oneTickLater, 1));
        Assert.Equal(Step(oneTickLater, 1), Assert.Single(oneTickLater.Bottlenecks));
    }

    [Fact]
    public void A_zero_day_target_adds_no_lateness_and_an_unanswered_referral_is_overdue_at_once()
    {
        var lateButDone = Issue(1, 0, Now.AddDays(-10));
        var justIssued = Issue(1, 0, Now.AddHours(-1));
        var onlyLate = Issue(2, 0, Now.AddDays(-10));
        IntegrationEvent[] history =
        [
            lateButDone, Status(lateButDone, ReferralStatus.Accepted, Now.AddDays(-7)), Status(lateButDone, ReferralStatus.Completed, Now.AddDays(-5)),
            justIssued,
            onlyLate, Status(onlyLate, ReferralStatus.Accepted, Now.AddDays(-7)), Status(onlyLate, ReferralStatus.Completed, Now.AddDays(-5)),
        ];

        var analysis = Analyses.Referrals(CaseFigures.OfHistory(history), Now);

        // Median 3 days against 0: no division by zero, the lateness term is 0; only the overdue share counts.
        Assert.Equal(new ChainStepHandover(Chain, 1, 1, 2, 0, 3, 3, 1, 0, 0.5), Step(analysis, 1));
        Assert.Equal(new ChainStepHandover(Chain, 1, 2, 1, 0, 3, 3, 0, 0, 0), Step(analysis, 2));
        Assert.Equal([1], analysis.Bottlenecks.Select(s => s.Step));
    }

    [Fact]
    public void Rejected_referrals_count_in_the_rejection_rate_and_unanswered_ones_as_overdue()
    {
        var rejectedA = Issue(1, 5, Now.AddDays(-20));
        var rejectedB = Issue(1, 5, Now.AddDays(-20));
        var unansweredA = Issue(2, 5, Now.AddDays(-20));
        var unansweredB = Issue(2, 5, Now.AddDays(-20));
        var rejected = Issue(3, 5, Now.AddDays(-20));
        var unanswered = Issue(3, 5, Now.AddDays(-20));
        var rejectedLate = Issue(4, 5, Now.AddDays(-20));
        var accepted = Issue(4, 5, Now.AddDays(-20));
        IntegrationEvent[] history =
        [
            rejectedA, Status(rejectedA, ReferralStatus.Rejected, Now.AddDays(-18)), rejectedB, Status(rejectedB, ReferralStatus.Rejected, Now.AddDays(-18)),
            unansweredA, unansweredB,
            rejected, Status(rejected, ReferralStatus.Rejected, Now.AddDays(-18)), unanswered,
            rejectedLate, Status(rejectedLate, ReferralStatus.Rejected, Now.AddDays(-5)),
            accepted, Status(accepted, ReferralStatus.Accepted, Now.AddDays(-5)), Status(accepted, ReferralStatus.Completed, Now.AddDays(-1)),
        ];

        var analysis = Analyses.Referrals(CaseFigures.OfHistory(history), Now);

        // All rejected: rejection rate 1, nothing open, so nothing overdue.
        Assert.Equal(new ChainStepHandover(Chain, 1, 1, 2, 5, 2, 2, 0, 1, 1), Step(analysis, 1));
        // All unanswered: every one overdue, no answer so no rejection rate and no handover time.
        Assert.Equal(new ChainStepHandover(Chain, 1, 2, 2, 5, null, null, 2, 0, 1), Step(analysis, 2));
        // One of each: half overdue, and the one answer was a rejection.
        Assert.Equal(new ChainStepHandover(Chain, 1, 3, 2, 5, 2, 2, 1, 1, 1.5), Step(analysis, 3));
        // A rejection is a handover too: 15 days against 5 (lateness 2) plus half of the answers rejected.
        Assert.Equal(new ChainStepHandover(Chain, 1, 4, 2, 5, 15, 15, 0, 0.5, 2.5), Step(analysis, 4));
        Assert.Equal([1, 2, 3, 4], analysis.Bottlenecks.Select(s => s.Step).Order());
    }

    [Fact]
    public void A_cancelled_referral_is_neither_overdue_nor_rejected_but_counts_among_the_referrals()
    {
        var cancelled = Issue(1, 5, Now.AddDays(-20));
        var unanswered = Issue(1, 5, Now.AddDays(-20));
        IntegrationEvent[] history = [cancelled, Status(cancelled, ReferralStatus.Cancelled, Now.AddDays(-19)), unanswered];

        var analysis = Analyses.Referrals(CaseFigures.OfHistory(history), Now);

        Assert.Equal(new ChainStepHandover(Chain, 1, 1, 2, 5, null, null, 1, 0, 0.5), Step(analysis, 1));
        Assert.Equal((1, 1), (analysis.Open, analysis.Overdue));
    }
}
