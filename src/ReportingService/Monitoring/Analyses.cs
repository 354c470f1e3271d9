using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.Contracts.Network;
using Kim.ReportingService.ReadModels;

namespace Kim.ReportingService.Monitoring;

public sealed record PhaseTime(CasePhase Phase, int Stays, double? MedianDays, double? P90Days);

public sealed record GoalFigures(int Agreed, int EvaluatedAtClosure, int Achieved, int PartlyAchieved);

public sealed record ChainStepHandover(
    Guid ChainId, int Version, int Step, int Referrals, int TargetDays, double? MedianDays, double? P90Days, int Overdue, double RejectionRate, double BottleneckScore);

public sealed record ReferralAnalysis(
    IReadOnlyDictionary<string, int> ByStatus, IReadOnlyDictionary<string, int> ByProvider, IReadOnlyDictionary<string, int> ByLegalDomain,
    int Open, int Overdue, IReadOnlyList<ChainStepHandover> Steps, IReadOnlyList<ChainStepHandover> Bottlenecks);

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
    /// Where referrals stall. Handover time of a referral is from issue to acceptance (or to rejection); per step of a
    /// service chain it is compared with the step's target days. The bottleneck score adds the share of overdue
    /// referrals, the rejection rate and how far the median handover exceeds the target (0 when within it).
    /// </summary>
    public static ReferralAnalysis Referrals(Contributions figures, DateTime nowUtc)
    {
        var overdueByStep = figures.OverdueByStep(nowUtc);
        var steps = figures.ByDimension(Figure.StepReferrals).Select(step =>
            {
                var (chain, version, order) = Figure.ParseStep(step.Key);
                var (median, p90) = Quantiles(figures.Buckets(Figure.StepHandover, step.Key));
                var target = figures.Buckets(Figure.StepTarget, step.Key).Max(b => b.Bucket);
                var decided = figures.Total(Figure.StepDecided, step.Key);
                var rejected = figures.Total(Figure.StepRejected, step.Key);
                var late = overdueByStep.GetValueOrDefault(step.Key);
                var rejectionRate = decided == 0 ? 0 : Math.Round((double)rejected / decided, 2);
                var lateness = median is { } m && target > 0 ? Math.Max(0, (m / target) - 1) : 0;
                var score = Math.Round(((double)late / step.Value) + rejectionRate + lateness, 2);
                return new ChainStepHandover(chain, version, order, step.Value, target, median, p90, late, rejectionRate, score);
            })
            .OrderBy(s => s.ChainId).ThenBy(s => s.Version).ThenBy(s => s.Step)
            .ToList();

        return new ReferralAnalysis(
            figures.ByDimension(Figure.ReferralStatus),
            figures.ByDimension(Figure.ReferralProvider),
            figures.ByDimension(Figure.ReferralDomain),
            (int)figures.Total(Figure.ReferralsOpen),
            overdueByStep.Values.Sum(),
            steps,
            [.. steps.Where(s => s.BottleneckScore > 0).OrderByDescending(s => s.BottleneckScore).ThenByDescending(s => s.Overdue)]);
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
