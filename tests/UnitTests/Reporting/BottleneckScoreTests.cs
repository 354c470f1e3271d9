using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.Contracts.Network;
using Kim.ReportingService.Monitoring;
using Kim.ReportingService.ReadModels;
using Kim.ReportingService.State;

namespace Kim.UnitTests.Reporting;

/// <summary>
/// The handover time and bottleneck score of a chain step (src/ReportingService/docs/reporting.md, "Handover time"):
/// referrals still waiting count by their age (Kaplan-Meier), an answered referral is overdue only if it was answered
/// late, target days are whole days (0 is valid: the same day), and steps are named by chain, activity and provider.
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

    private static ReferralAnalysis Analyse(IEnumerable<IntegrationEvent> history, DateTime? now = null, MonthRange? months = null, IReadOnlyList<ServiceChainAdopted>? chains = null) =>
        Analyses.Referrals(CaseFigures.OfHistory(history), now ?? Now, chains, months);

    [Fact]
    public void Without_referrals_of_a_chain_there_is_no_step_and_no_bottleneck()
    {
        var empty = Analyse([]);
        var withoutChain = Issue(1, 5, Now.AddDays(-20)) with { ServiceChainId = null, ServiceChainVersion = null, ChainStepOrder = null };
        var outsideChains = Analyse([withoutChain]);

        Assert.Empty(empty.ByStatus);
        Assert.Equal((0, 0), (empty.Open, empty.Overdue));
        Assert.Empty(empty.Steps);
        // A referral outside any chain waits past its target, but belongs to no step.
        Assert.Equal((1, 1), (outsideChains.Open, outsideChains.Overdue));
        Assert.Empty(outsideChains.Steps);
        Assert.Empty(outsideChains.Bottlenecks);
    }

    [Fact]
    public void A_step_answered_at_once_ranks_below_a_step_that_rejects_and_leaves_referrals_unanswered()
    {
        // Step 1, target 0 days: six referrals, each accepted within a second.
        var quick = Enumerable.Range(0, 6).Select(i => Issue(1, 0, Now.AddDays(-30 + i))).ToList();
        // Step 2, target 5 days: two rejected, three never answered, one accepted in time.
        var stalled = Enumerable.Range(0, 6).Select(_ => Issue(2, 5, Now.AddDays(-20))).ToList();
        IntegrationEvent[] history =
        [
            .. quick.SelectMany(r => new IntegrationEvent[] { r, Status(r, ReferralStatus.Accepted, r.OccurredAt.AddSeconds(1)) }),
            .. stalled,
            Status(stalled[0], ReferralStatus.Rejected, Now.AddDays(-19)), Status(stalled[1], ReferralStatus.Rejected, Now.AddDays(-18)),
            Status(stalled[2], ReferralStatus.Accepted, Now.AddDays(-17)),
        ];

        var analysis = Analyse(history);

        var first = Step(analysis, 1);
        Assert.Equal((6, 6, 0, 0, 0, 0), (first.Referrals, first.Answered, first.Waiting, first.AnsweredLate, first.WaitingPastTarget, first.Overdue));
        Assert.Equal((0.0, 0.0), (first.MedianDays, first.BottleneckScore));
        var second = Step(analysis, 2);
        Assert.Equal((6, 3, 3, 0, 3, 3), (second.Referrals, second.Answered, second.Waiting, second.AnsweredLate, second.WaitingPastTarget, second.Overdue));
        // Three of six past target (the answers were in time), two of three answers rejected.
        Assert.Equal((0.5, 0.67), (second.SharePastTarget, second.RejectionRate));
        Assert.Equal([2], analysis.Bottlenecks.Select(s => s.Step));
    }

    [Fact]
    public void Referrals_still_waiting_raise_the_median_by_their_age()
    {
        // Three answers after 1, 2 and 3 days; two referrals unanswered for 10 days.
        var answered = Enumerable.Range(1, 3).Select(_ => Issue(1, 30, Now.AddDays(-10))).ToList();
        IntegrationEvent[] history =
        [
            .. answered, .. answered.Select((r, i) => Status(r, ReferralStatus.Accepted, r.OccurredAt.AddDays(i + 1))),
            Issue(1, 30, Now.AddDays(-10)), Issue(1, 30, Now.AddDays(-10)),
        ];

        var step = Step(Analyse(history), 1);

        // Kaplan-Meier: 4/5 still waiting after day 1, 3/5 after day 2, 2/5 after day 3; the median ignoring them would be 2.
        Assert.Equal(3, step.MedianDays);
        Assert.Null(step.P90Days);
        Assert.Equal((3, 2, 0), (step.Answered, step.Waiting, step.Overdue));
    }

    [Fact]
    public void A_median_is_not_reached_while_most_referrals_wait()
    {
        var answered = Issue(1, 30, Now.AddDays(-40));
        IntegrationEvent[] history = [answered, Status(answered, ReferralStatus.Accepted, Now.AddDays(-39)), Issue(1, 30, Now.AddDays(-40)), Issue(1, 30, Now.AddDays(-40))];

        var step = Step(Analyse(history), 1);

        Assert.Null(step.MedianDays);
        // Both waiting referrals are past their 30 days; the one answer came in time.
        Assert.Equal((0, 2, 2), (step.AnsweredLate, step.WaitingPastTarget, step.Overdue));
        Assert.Equal(0.67, step.SharePastTarget);
    }

    [Fact]
    public void An_answered_referral_is_overdue_only_if_it_was_answered_late()
    {
        // Target 2 whole days: an answer after 2 days and 23 hours is in time, one after 3 days is late.
        var inTime = Issue(1, 2, Now.AddDays(-20));
        var late = Issue(1, 2, Now.AddDays(-20));
        var acceptedLongAgo = Issue(1, 2, Now.AddDays(-20));
        IntegrationEvent[] history =
        [
            inTime, Status(inTime, ReferralStatus.Accepted, inTime.OccurredAt.AddDays(2).AddHours(23)),
            late, Status(late, ReferralStatus.Rejected, late.OccurredAt.AddDays(3)),
            acceptedLongAgo, Status(acceptedLongAgo, ReferralStatus.Accepted, acceptedLongAgo.OccurredAt.AddHours(1)), Status(acceptedLongAgo, ReferralStatus.Started, Now.AddDays(-2)),
        ];

        var analysis = Analyse(history);
        var step = Step(analysis, 1);

        Assert.Equal((3, 0, 1, 0, 1), (step.Answered, step.Waiting, step.AnsweredLate, step.WaitingPastTarget, step.Overdue));
        Assert.Equal(0.33, step.SharePastTarget);
        // Two referrals are open (accepted, started) but none waits for an answer: nothing is overdue at the office.
        Assert.Equal((2, 0), (analysis.Open, analysis.Overdue));
    }

    [Fact]
    public void A_waiting_referral_is_past_its_target_once_its_whole_target_days_have_passed()
    {
        var referral = Issue(1, 5, Now.AddDays(-6));

        Assert.Equal(0, Step(Analyse([referral], Now.AddTicks(-1)), 1).Overdue);
        Assert.Empty(Analyse([referral], Now.AddTicks(-1)).Bottlenecks);
        var due = Step(Analyse([referral]), 1);
        // All past target, and no answer to name a median while it waits past target: the full lateness too.
        Assert.Equal((1, 1, 1.0, 2.0), (due.WaitingPastTarget, due.Overdue, due.SharePastTarget, due.BottleneckScore));
    }

    [Fact]
    public void A_zero_day_target_means_an_answer_within_the_first_day()
    {
        var sameDay = Issue(1, 0, Now.AddDays(-10));
        var nextDay = Issue(1, 0, Now.AddDays(-10));
        var waiting = Issue(2, 0, Now.AddHours(-23));
        IntegrationEvent[] history =
        [
            sameDay, Status(sameDay, ReferralStatus.Accepted, sameDay.OccurredAt.AddHours(23)),
            nextDay, Status(nextDay, ReferralStatus.Accepted, nextDay.OccurredAt.AddHours(25)),
            waiting,
        ];

        var analysis = Analyse(history);

        var first = Step(analysis, 1);
        Assert.Equal((0, 1, 1, 0.5), (first.TargetDays, first.AnsweredLate, first.Overdue, first.SharePastTarget));
        // Median (23 h and 25 h: the first hour with half answered) 1.0 day against 1 whole day allowed: no lateness term.
        Assert.Equal((1.0, 0.5), (first.MedianDays, first.BottleneckScore));
        Assert.Equal(0, Step(analysis, 2).Overdue);
        Assert.Equal(1, Step(Analyse(history, Now.AddHours(1)), 2).Overdue);
    }

    [Fact]
    public void A_median_beyond_the_target_adds_at_most_one_to_the_score()
    {
        var slow = Enumerable.Range(0, 3).Select(_ => Issue(1, 1, Now.AddDays(-40))).ToList();
        IntegrationEvent[] history = [.. slow, .. slow.Select(r => Status(r, ReferralStatus.Accepted, r.OccurredAt.AddDays(30)))];

        var step = Step(Analyse(history), 1);

        // All late (share 1), none rejected; 30 days against 2 allowed is capped at 1.
        Assert.Equal((30.0, 1.0, 2.0), (step.MedianDays, step.SharePastTarget, step.BottleneckScore));
    }

    [Fact]
    public void A_withdrawn_referral_is_neither_waiting_nor_overdue_but_counts_among_the_referrals()
    {
        var withdrawn = Issue(1, 5, Now.AddDays(-20));
        var unanswered = Issue(1, 5, Now.AddDays(-20));
        IntegrationEvent[] history = [withdrawn, Status(withdrawn, ReferralStatus.Cancelled, Now.AddDays(-19)), unanswered];

        var analysis = Analyse(history);
        var step = Step(analysis, 1);

        Assert.Equal((2, 0, 1, 1, 0.0), (step.Referrals, step.Answered, step.Waiting, step.Overdue, step.RejectionRate));
        Assert.Null(step.MedianDays);
        Assert.Equal((1, 1), (analysis.Open, analysis.Overdue));
    }

    [Fact]
    public void Steps_are_named_by_chain_title_version_activity_and_provider()
    {
        var adopted = new ServiceChainAdopted
        {
            ChainId = Chain,
            Version = 1,
            Title = "Arbeitsmarktintegration",
            LifeDomain = LifeDomain.TrainingWork,
            ResolutionNumber = "LG-2026-04",
            OccurredAt = Now.AddDays(-60),
            Steps = [new ChainStep(1, "Erstberatung Jobcenter", Guid.NewGuid(), "Jobcenter Mettmann", LegalDomain.SgbII, new HandoverPoint("", "", ""), 5)],
        };

        var step = Step(Analyse([Issue(1, 5, Now.AddDays(-1))], chains: [adopted]), 1);

        Assert.Equal(("Arbeitsmarktintegration", 1, "Erstberatung Jobcenter", "Jobcenter Mettmann"), (step.Chain, step.Version, step.Activity, step.Provider));
        Assert.Null(Step(Analyse([Issue(1, 5, Now.AddDays(-1))]), 1).Chain);
    }

    [Fact]
    public void A_month_range_counts_only_the_referrals_issued_in_it()
    {
        var january = Issue(1, 5, new DateTime(2026, 1, 10, 9, 0, 0, DateTimeKind.Utc));
        var february = Issue(1, 5, new DateTime(2026, 2, 10, 9, 0, 0, DateTimeKind.Utc));
        IntegrationEvent[] history = [january, Status(january, ReferralStatus.Accepted, january.OccurredAt.AddDays(10)), february];

        var inJanuary = Step(Analyse(history, months: new MonthRange("2026-01", "2026-01")), 1);
        var inFebruary = Step(Analyse(history, months: new MonthRange("2026-02", null)), 1);

        Assert.Equal((1, 1, 0, 10.0), (inJanuary.Referrals, inJanuary.AnsweredLate, inJanuary.Waiting, inJanuary.MedianDays));
        Assert.Equal((1, 0, 1, 1), (inFebruary.Referrals, inFebruary.AnsweredLate, inFebruary.Waiting, inFebruary.WaitingPastTarget));
    }

    [Fact]
    public void Barriers_of_reconstructions_that_name_a_step_or_its_provider_count_for_that_step()
    {
        var jobcenter = Guid.NewGuid();
        var adopted = new ServiceChainAdopted
        {
            ChainId = Chain,
            Version = 1,
            Title = "Arbeit",
            LifeDomain = LifeDomain.TrainingWork,
            ResolutionNumber = "LG-2026-04",
            OccurredAt = Now.AddDays(-60),
            Steps =
            [
                new ChainStep(1, "Sprachkurs", Guid.NewGuid(), "VHS", LegalDomain.SgbIII, new HandoverPoint("", "", ""), 5),
                new ChainStep(2, "Beratung", jobcenter, "Jobcenter", LegalDomain.SgbII, new HandoverPoint("", "", ""), 5),
            ],
        };
        Kim.Contracts.Cases.Barrier At(Guid? provider = null, int? step = null) => new(LifeDomain.TrainingWork, LegalDomain.SgbII, "Termine erst nach Monaten", ["wartezeit"])
        {
            ProviderOrganisationId = provider,
            ServiceChainId = step is null ? null : Chain,
            ServiceChainVersion = step is null ? null : 1,
            ChainStepOrder = step,
        };
        var reconstruction = new CaseReconstructionSubmitted
        {
            TenantId = "kommune",
            ReconstructionId = Guid.NewGuid(),
            OccurredAt = Now.AddDays(-3),
            Barriers = [At(step: 2), At(provider: jobcenter), At(provider: jobcenter, step: 2), At(step: 1), At()],
        };

        var analysis = Analyse([Issue(1, 5, Now.AddDays(-1)), Issue(2, 5, Now.AddDays(-1)), reconstruction], chains: [adopted]);

        // Step 2: two barriers name it, one names its provider only; step 1: one.
        Assert.Equal((1, 3), (Step(analysis, 1).Barriers, Step(analysis, 2).Barriers));
    }

    [Fact]
    public void A_step_where_most_referrals_still_wait_past_target_ranks_above_one_with_a_late_median()
    {
        // Target 2 days. Step 1: 4 answered after 5 days, 6 waiting for 10 (no median); step 2: 6 answered after 5 days, 4 waiting.
        IEnumerable<IntegrationEvent> Referrals(int step, int answered, int waiting)
        {
            for (var i = 0; i < answered; i++)
            {
                var referral = Issue(step, 2, Now.AddDays(-10));
                yield return referral;
                yield return Status(referral, ReferralStatus.Accepted, referral.OccurredAt.AddDays(5));
            }

            for (var i = 0; i < waiting; i++)
            {
                yield return Issue(step, 2, Now.AddDays(-10));
            }
        }

        var analysis = Analyse([.. Referrals(1, 4, 6), .. Referrals(2, 6, 4)]);

        Assert.Null(Step(analysis, 1).MedianDays);
        Assert.Equal(5.0, Step(analysis, 2).MedianDays);
        Assert.Equal([1, 2], analysis.Bottlenecks.Select(s => s.Step));
    }
}
