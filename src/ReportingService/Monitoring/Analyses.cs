using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.Contracts.Network;
using Kim.ReportingService.ReadModels;

namespace Kim.ReportingService.Monitoring;

public sealed record PhaseTime(CasePhase Phase, int Stays, double? MedianDays, double? P90Days);

public sealed record GoalFigures(int Agreed, int EvaluatedAtClosure, int Achieved, int PartlyAchieved);

/// <summary>
/// The handover of one chain step (docs/reporting.md, "Handover time"): named by its chain's title, version, activity
/// and provider (null where the chain's adoption is not known here); medians by Kaplan-Meier, with referrals still
/// waiting counted by their age; overdue are referrals answered late and those still waiting past their target.
/// <see cref="Barriers"/> counts the barriers of case reconstructions that name the step, or its provider without a step.
/// </summary>
public sealed record ChainStepHandover(
    Guid ChainId, int Version, int Step, string? Chain, string? Activity, string? Provider, int Referrals, int Answered, int Waiting, int TargetDays,
    double? MedianDays, double? P90Days, int AnsweredLate, int WaitingPastTarget, int Overdue, double SharePastTarget, double RejectionRate, double BottleneckScore,
    int Barriers);

public sealed record ReferralAnalysis(
    IReadOnlyDictionary<string, int> ByStatus, IReadOnlyDictionary<string, int> ByProvider, IReadOnlyDictionary<string, int> ByLegalDomain,
    int Open, int Overdue, IReadOnlyList<ChainStepHandover> Steps, IReadOnlyList<ChainStepHandover> Bottlenecks);

/// <summary>One side of a comparison: a chain version and/or the months its referrals were issued in (either may be open).</summary>
public sealed record HandoverSide(int? Version, string? From, string? To)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public MonthRange? Months => From is null && To is null ? null : new MonthRange(From, To);
}

/// <summary>The handover figures of one side over all its steps.</summary>
public sealed record HandoverTotals(int Referrals, int Answered, int Overdue, double SharePastTarget, double? MedianDays);

/// <summary>One step (by its order in the chain) on both sides; the changes are B minus A (negative: faster, fewer late).</summary>
public sealed record StepComparison(int Step, ChainStepHandover? A, ChainStepHandover? B, double? MedianChangeDays, double? SharePastTargetChange);

/// <summary>Before and after: a chain's handovers on two sides, e.g. version 1 against version 2, or two periods.</summary>
public sealed record HandoverComparison(
    Guid ChainId, string? Chain, HandoverSide SideA, HandoverSide SideB, HandoverTotals A, HandoverTotals B, IReadOnlyList<StepComparison> Steps);

public sealed record PracticeIndicators(
    IReadOnlyDictionary<string, int> CaseReviewsPerMonth, IReadOnlyDictionary<string, int> CaseConferencesPerMonth, IReadOnlyDictionary<string, int> ReconstructionsPerMonth,
    double? ShareOfCasesWithReferrals, IReadOnlyList<string> TenantsActiveLast30Days, int MeetingsHeld, int QuorateMeetings, int RulesOfProcedureAdopted,
    int Resolutions, double? ShareOfBindingResolutions, int WorkingGroupsMandated, int ThemesProposed, int GoalSystemsAdopted, int ServiceChainsAdopted,
    int ForwardingContracts);

/// <summary>
/// The municipal monitoring from the read model's counters (see docs/monitoring.md); pure, so the same code answers from
/// the stored counters and from a history in memory (<see cref="CaseFigures.OfHistory"/>).
/// </summary>
public static class Analyses
{
    /// <summary>Time per phase: every completed stay (entered, then left by any change), per case.</summary>
    public static IReadOnlyList<PhaseTime> TimeInPhase(Contributions figures) =>
        [.. Enum.GetValues<CasePhase>().Where(p => p != CasePhase.Closure).Select(phase =>
        {
            var stays = figures.Buckets(Figure.Stay, phase.ToString());
            var (median, p90) = Quantiles(stays);
            return new PhaseTime(phase, (int)stays.Sum(s => s.Count), median, p90);
        })];

    public static GoalFigures Goals(Contributions figures) => new(
        (int)figures.Total(Figure.GoalsAgreed), (int)figures.Total(Figure.GoalsEvaluated), (int)figures.Total(Figure.GoalsAchieved), (int)figures.Total(Figure.GoalsPartlyAchieved));

    /// <summary>
    /// Where referrals stall, per chain step (of the referrals issued in <paramref name="months"/>, all when null). The
    /// bottleneck score adds the share past target (answered late or still waiting past it, of those whose outcome
    /// against the target is known), the rejection rate and how far the median handover exceeds the target (at most 1).
    /// </summary>
    public static ReferralAnalysis Referrals(Contributions figures, DateTime nowUtc, IReadOnlyList<ServiceChainAdopted>? chains = null, MonthRange? months = null)
    {
        var waiting = figures.Waiting().Where(w => months is null || months.Contains(w.IssuedAt)).ToList();
        var waitingByStep = waiting.ToLookup(w => w.Step);
        var steps = figures.ByDimension(Figure.StepReferrals).Keys
            .Select(step => Step(figures, step, waitingByStep[step], nowUtc, chains ?? [], months))
            .Where(s => s.Referrals > 0)
            .OrderBy(s => s.ChainId).ThenBy(s => s.Version).ThenBy(s => s.Step)
            .ToList();

        return new ReferralAnalysis(
            figures.ByDimension(Figure.ReferralStatus),
            figures.ByDimension(Figure.ReferralProvider),
            figures.ByDimension(Figure.ReferralDomain),
            (int)figures.Total(Figure.ReferralsOpen),
            waiting.Where(w => nowUtc >= w.DueAt).Sum(w => w.Count),
            steps,
            [.. steps.Where(s => s.BottleneckScore > 0).OrderByDescending(s => s.BottleneckScore).ThenByDescending(s => s.Overdue).ThenBy(s => s.ChainId).ThenBy(s => s.Version).ThenBy(s => s.Step)]);
    }

    private static ChainStepHandover Step(
        Contributions figures, string step, IEnumerable<WaitingReferrals> waiting, DateTime nowUtc, IReadOnlyList<ServiceChainAdopted> chains, MonthRange? months)
    {
        var (chain, version, order) = Figure.ParseStep(step);
        var target = figures.Buckets(Figure.StepTarget, step).Select(b => b.Bucket).DefaultIfEmpty(0).Max();
        var referrals = (int)figures.Total(Figure.StepReferrals, step, months);
        var answered = (int)figures.Total(Figure.StepDecided, step, months);
        var rejected = figures.Total(Figure.StepRejected, step, months);
        var late = (int)figures.Total(Figure.StepLate, step, months);
        var stillWaiting = waiting.ToList();
        var waitingPast = stillWaiting.Where(w => nowUtc >= w.DueAt).Sum(w => w.Count);

        // Kaplan-Meier: answers are events at their handover hours; referrals still waiting (by their age) and those
        // withdrawn before an answer are censored.
        var censored = figures.Buckets(Figure.StepWithdrawn, step, months).ToList();
        censored.AddRange(stillWaiting.Select(w => (Figure.Hours(nowUtc - w.IssuedAt), (long)w.Count)));
        var (median, p90) = SurvivalQuantiles(figures.Buckets(Figure.StepHandover, step, months), censored);

        var known = answered + waitingPast;
        var overdue = late + waitingPast;
        var share = known == 0 ? 0 : Math.Round((double)overdue / known, 2);
        var rejectionRate = answered == 0 ? 0 : Math.Round((double)rejected / answered, 2);
        // A median not reached while referrals wait past their target means more than half stall: the full lateness.
        var lateness = median is { } m ? Math.Clamp((m / (target + 1)) - 1, 0, 1) : waitingPast > 0 ? 1 : 0;
        var adopted = chains.FirstOrDefault(c => c.ChainId == chain && c.Version == version);
        var data = adopted?.Steps.FirstOrDefault(s => s.Order == order);
        var barriers = figures.Total(Figure.StepBarriers, step) + (data is null ? 0 : figures.Total(Figure.ProviderBarriers, data.ResponsibleOrganisationId.ToString("D")));
        return new ChainStepHandover(
            chain, version, order, adopted?.Title, data?.Activity, data?.ResponsibleOrganisationName, referrals, answered, stillWaiting.Sum(w => w.Count), target,
            median, p90, late, waitingPast, overdue, share, rejectionRate, Math.Round(share + rejectionRate + lateness, 2), (int)barriers);
    }

    /// <summary>
    /// Before and after: the handovers of one chain on side A against side B, step by step (matched by their order), and
    /// over all steps of each side, so a steering group sees whether its decision (a new version, from a month on) helped.
    /// </summary>
    public static HandoverComparison Compare(
        Contributions figures, DateTime nowUtc, IReadOnlyList<ServiceChainAdopted> chains, Guid chainId, HandoverSide sideA, HandoverSide sideB)
    {
        List<ChainStepHandover> StepsOf(HandoverSide side) =>
            [.. Referrals(figures, nowUtc, chains, side.Months).Steps.Where(s => s.ChainId == chainId && (side.Version is null || s.Version == side.Version))];

        HandoverTotals TotalsOf(HandoverSide side, List<ChainStepHandover> steps)
        {
            var keys = steps.Select(s => Figure.Step(s.ChainId, s.Version, s.Step)).ToHashSet(StringComparer.Ordinal);
            var handovers = keys.SelectMany(k => figures.Buckets(Figure.StepHandover, k, side.Months)).GroupBy(b => b.Bucket).Select(g => (g.Key, g.Sum(b => b.Count))).ToList();
            var censored = keys.SelectMany(k => figures.Buckets(Figure.StepWithdrawn, k, side.Months)).ToList();
            censored.AddRange(figures.Waiting().Where(w => keys.Contains(w.Step) && (side.Months is null || side.Months.Contains(w.IssuedAt)))
                .Select(w => (Figure.Hours(nowUtc - w.IssuedAt), (long)w.Count)));
            var known = steps.Sum(s => s.Answered + s.WaitingPastTarget);
            var overdue = steps.Sum(s => s.Overdue);
            return new HandoverTotals(
                steps.Sum(s => s.Referrals), steps.Sum(s => s.Answered), overdue, known == 0 ? 0 : Math.Round((double)overdue / known, 2),
                SurvivalQuantiles([.. handovers.OrderBy(h => h.Key)], censored).Median);
        }

        var (a, b) = (StepsOf(sideA), StepsOf(sideB));
        var steps = a.Select(s => s.Step).Union(b.Select(s => s.Step)).Order().Select(order =>
        {
            var (before, after) = (a.FirstOrDefault(s => s.Step == order), b.FirstOrDefault(s => s.Step == order));
            return new StepComparison(
                order, before, after,
                before?.MedianDays is { } m1 && after?.MedianDays is { } m2 ? Math.Round(m2 - m1, 1) : null,
                before is not null && after is not null ? Math.Round(after.SharePastTarget - before.SharePastTarget, 2) : null);
        }).ToList();
        var title = chains.Where(c => c.ChainId == chainId).OrderByDescending(c => c.Version).FirstOrDefault()?.Title;
        return new HandoverComparison(chainId, title, sideA, sideB, TotalsOf(sideA, a), TotalsOf(sideB, b), steps);
    }

    /// <summary>
    /// The share of the chain referrals of <paramref name="referrals"/> whose handover kept its target (answered in time,
    /// of those answered or waiting past their target); null without any.
    /// </summary>
    public static double? HandoverWithinTarget(ReferralAnalysis referrals)
    {
        var known = referrals.Steps.Sum(s => s.Answered + s.WaitingPastTarget);
        return known == 0 ? null : Math.Round(1 - ((double)referrals.Steps.Sum(s => s.Overdue) / known), 2);
    }

    /// <summary>
    /// Median and 90th percentile in days (one decimal) of a duration counted in whole hours, by the Kaplan-Meier
    /// estimate: <paramref name="events"/> ended at their hour, <paramref name="censored"/> were still running at theirs
    /// (and are at risk at an event of the same hour). A quantile is the first hour at which the estimated share still
    /// running falls to or below it; null when it never does (too many still running to say).
    /// </summary>
    public static (double? Median, double? P90) SurvivalQuantiles(IReadOnlyList<(int Bucket, long Count)> events, IReadOnlyList<(int Bucket, long Count)> censored)
    {
        var atRisk = events.Sum(e => e.Count) + censored.Sum(c => c.Count);
        var endedAt = events.GroupBy(e => e.Bucket).ToDictionary(g => g.Key, g => g.Sum(e => e.Count));
        var censoredAt = censored.GroupBy(c => c.Bucket).ToDictionary(g => g.Key, g => g.Sum(c => c.Count));
        var survival = 1.0;
        double? median = null, p90 = null;
        foreach (var hour in endedAt.Keys.Union(censoredAt.Keys).Order())
        {
            var ended = endedAt.GetValueOrDefault(hour);
            if (ended > 0)
            {
                survival *= 1 - ((double)ended / atRisk);
                median ??= survival <= 0.5 + 1e-9 ? Math.Round(hour / 24.0, 1) : null;
                p90 ??= survival <= 0.1 + 1e-9 ? Math.Round(hour / 24.0, 1) : null;
            }

            atRisk -= ended + censoredAt.GetValueOrDefault(hour);
        }

        return (median, p90);
    }

    /// <summary>
    /// Practice and governance: reviews, conferences and reconstructions per month and the share of cases with referrals
    /// from the counters; the committees' decisions from <paramref name="network"/>, the network's few events.
    /// </summary>
    public static PracticeIndicators Practice(
        Contributions figures, IReadOnlyList<IntegrationEvent> network, IReadOnlyCollection<(string Tenant, DateTime ReceivedAt)> arrivals, DateTime nowUtc)
    {
        var opened = figures.Total(Figure.CasesOpened);
        var resolutions = network.OfType<ResolutionAdopted>().GroupBy(r => r.ResolutionId).Select(g => g.First()).ToList();
        var meetings = network.OfType<MeetingHeld>().GroupBy(m => m.MeetingId).Select(g => g.First()).ToList();
        return new PracticeIndicators(
            figures.ByMonth(Figure.Reviews, CaseReviewKind.Review.ToString()),
            figures.ByMonth(Figure.Reviews, CaseReviewKind.Conference.ToString()),
            figures.ByMonth(Figure.Reconstructions),
            opened == 0 ? null : Math.Round((double)figures.Total(Figure.CasesReferred) / opened, 2),
            [.. arrivals.Where(a => a.ReceivedAt >= nowUtc.AddDays(-30)).Select(a => a.Tenant).Distinct().Order(StringComparer.Ordinal)],
            meetings.Count,
            meetings.Count(m => m.Quorate),
            network.OfType<RulesOfProcedureAdopted>().Count(),
            resolutions.Count,
            resolutions.Count == 0 ? null : Math.Round((double)resolutions.Count(r => r.IsBinding) / resolutions.Count, 2),
            network.OfType<WorkingGroupMandated>().Select(w => w.WorkingGroupId).Distinct().Count(),
            network.OfType<GenerativeThemeProposed>().Select(t => t.ThemeId).Distinct().Count(),
            network.OfType<GoalSystemAdopted>().Count(),
            network.OfType<ServiceChainAdopted>().Count(),
            network.OfType<ForwardingContractSigned>().Select(f => f.ContractId).Distinct().Count());
    }

    /// <summary>Median and 90th percentile (nearest rank) in days, to one decimal, of durations counted in whole hours; null when none.</summary>
    public static (double? Median, double? P90) Quantiles(IReadOnlyList<(int Bucket, long Count)> hours)
    {
        var total = hours.Sum(h => h.Count);
        if (total == 0)
        {
            return (null, null);
        }

        double At(long index)
        {
            var seen = 0L;
            foreach (var (bucket, count) in hours)
            {
                seen += count;
                if (index < seen)
                {
                    return bucket / 24.0;
                }
            }

            return hours[^1].Bucket / 24.0;
        }

        var median = total % 2 == 1 ? At(total / 2) : (At((total / 2) - 1) + At(total / 2)) / 2;
        var p90 = At(Math.Clamp((long)Math.Ceiling(0.9 * total) - 1, 0, total - 1));
        return (Math.Round(median, 1), Math.Round(p90, 1));
    }
}
