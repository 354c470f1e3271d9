using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.Contracts.Network;

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

/// <summary>The municipal monitoring computed from the event history (pure; see docs/monitoring.md).</summary>
public static class Analyses
{
    /// <summary>Time per phase: every completed stay (entered, then left by any change), per case.</summary>
    public static IReadOnlyList<PhaseTime> TimeInPhase(IReadOnlyList<IntegrationEvent> history)
    {
        var stays = Enum.GetValues<CasePhase>().ToDictionary(p => p, _ => new List<double>());
        var current = new Dictionary<(string, string), (CasePhase Phase, DateTime Since)>();
        foreach (var e in history)
        {
            switch (e)
            {
                case CaseOpened opened:
                    current[(opened.TenantId, opened.CaseKey)] = (CasePhase.Intake, opened.OccurredAt);
                    break;
                case CasePhaseChanged changed when current.TryGetValue((changed.TenantId, changed.CaseKey), out var stay):
                    stays[stay.Phase].Add((changed.OccurredAt - stay.Since).TotalDays);
                    current[(changed.TenantId, changed.CaseKey)] = (changed.To, changed.OccurredAt);
                    break;
                case CaseNotIndicated ended when current.TryGetValue((ended.TenantId, ended.CaseKey), out var intake):
                    stays[intake.Phase].Add((ended.OccurredAt - intake.Since).TotalDays);
                    current.Remove((ended.TenantId, ended.CaseKey));
                    break;
            }
        }

        return [.. stays.Where(s => s.Key != CasePhase.Closure).Select(s =>
        {
            var (median, p90) = EventHistory.Quantiles(s.Value);
            return new PhaseTime(s.Key, s.Value.Count, median, p90);
        })];
    }

    public static GoalFigures Goals(IReadOnlyList<IntegrationEvent> history)
    {
        var closed = history.OfType<CaseClosed>().GroupBy(c => (c.TenantId, c.CaseKey)).Select(g => g.Last()).ToList();
        return new GoalFigures(history.OfType<GoalAgreed>().Count(), closed.Sum(c => c.GoalsAgreed), closed.Sum(c => c.GoalsAchieved), closed.Sum(c => c.GoalsPartlyAchieved));
    }

    /// <summary>
    /// Where referrals stall. Handover time of a referral is from issue to acceptance (or to rejection); per step of a
    /// service chain it is compared with the step's target days. The bottleneck score adds the share of overdue
    /// referrals, the rejection rate and how far the median handover exceeds the target (0 when within it).
    /// </summary>
    public static ReferralAnalysis Referrals(IReadOnlyList<IntegrationEvent> history, DateTime nowUtc)
    {
        var issued = history.OfType<ReferralIssued>().GroupBy(r => r.ReferralId).ToDictionary(g => g.Key, g => g.First());
        var changes = history.OfType<ReferralStatusChanged>().Where(c => issued.ContainsKey(c.ReferralId)).GroupBy(c => c.ReferralId)
            .ToDictionary(g => g.Key, g => g.OrderBy(c => c.OccurredAt).ToList());
        ReferralStatus StatusOf(Guid id) => changes.TryGetValue(id, out var list) ? list[^1].Status : ReferralStatus.Issued;
        DateTime? AnsweredAt(Guid id) => changes.TryGetValue(id, out var list)
            ? list.FirstOrDefault(c => c.Status is ReferralStatus.Accepted or ReferralStatus.Rejected)?.OccurredAt
            : null;
        bool IsOpen(Guid id) => StatusOf(id) is ReferralStatus.Issued or ReferralStatus.Accepted or ReferralStatus.Started;
        bool IsOverdue(ReferralIssued r) => IsOpen(r.ReferralId) && nowUtc > r.OccurredAt.AddDays(r.TargetDays);

        static IReadOnlyDictionary<string, int> Count(IEnumerable<string> keys) =>
            new SortedDictionary<string, int>(keys.GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal);

        var steps = issued.Values.Where(r => r.ServiceChainId is not null && r.ChainStepOrder is not null)
            .GroupBy(r => (Chain: r.ServiceChainId!.Value, Version: r.ServiceChainVersion ?? 1, Step: r.ChainStepOrder!.Value))
            .Select(g =>
            {
                var handovers = g.Select(r => AnsweredAt(r.ReferralId) is { } at ? (double?)(at - r.OccurredAt).TotalDays : null).OfType<double>().ToList();
                var (median, p90) = EventHistory.Quantiles(handovers);
                var target = g.Max(r => r.TargetDays);
                var decided = g.Count(r => changes.TryGetValue(r.ReferralId, out var list) && list.Any(c => c.Status is ReferralStatus.Accepted or ReferralStatus.Rejected));
                var rejected = g.Count(r => changes.TryGetValue(r.ReferralId, out var list) && list.Any(c => c.Status == ReferralStatus.Rejected));
                var overdue = g.Count(IsOverdue);
                var rejectionRate = decided == 0 ? 0 : Math.Round((double)rejected / decided, 2);
                var lateness = median is { } m && target > 0 ? Math.Max(0, (m / target) - 1) : 0;
                var score = Math.Round(((double)overdue / g.Count()) + rejectionRate + lateness, 2);
                return new ChainStepHandover(g.Key.Chain, g.Key.Version, g.Key.Step, g.Count(), target, median, p90, overdue, rejectionRate, score);
            })
            .OrderBy(s => s.ChainId).ThenBy(s => s.Version).ThenBy(s => s.Step)
            .ToList();

        return new ReferralAnalysis(
            Count(issued.Keys.Select(id => StatusOf(id).ToString())),
            Count(issued.Values.Select(r => r.ProviderOrganisationName)),
            Count(issued.Values.Select(r => r.LegalDomain.ToString())),
            issued.Keys.Count(IsOpen),
            issued.Values.Count(IsOverdue),
            steps,
            [.. steps.Where(s => s.BottleneckScore > 0).OrderByDescending(s => s.BottleneckScore).ThenByDescending(s => s.Overdue)]);
    }

    public static PracticeIndicators Practice(IReadOnlyList<IntegrationEvent> history, IReadOnlyCollection<(string Tenant, DateTime ReceivedAt)> arrivals, DateTime nowUtc)
    {
        static IReadOnlyDictionary<string, int> PerMonth(IEnumerable<IntegrationEvent> events) =>
            new SortedDictionary<string, int>(events.GroupBy(e => e.OccurredAt.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture))
                .ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal);

        var opened = history.OfType<CaseOpened>().Select(c => (c.TenantId, c.CaseKey)).ToHashSet();
        var referred = history.OfType<ReferralIssued>().Select(r => (r.TenantId, r.CaseKey)).Where(opened.Contains).ToHashSet();
        var reviews = history.OfType<CaseReviewHeld>().ToList();
        var resolutions = history.OfType<ResolutionAdopted>().GroupBy(r => r.ResolutionId).Select(g => g.First()).ToList();
        var meetings = history.OfType<MeetingHeld>().GroupBy(m => m.MeetingId).Select(g => g.First()).ToList();
        return new PracticeIndicators(
            PerMonth(reviews.Where(r => r.Kind == CaseReviewKind.Review)),
            PerMonth(reviews.Where(r => r.Kind == CaseReviewKind.Conference)),
            PerMonth(history.OfType<CaseReconstructionSubmitted>()),
            opened.Count == 0 ? null : Math.Round((double)referred.Count / opened.Count, 2),
            [.. arrivals.Where(a => a.ReceivedAt >= nowUtc.AddDays(-30)).Select(a => a.Tenant).Distinct().Order(StringComparer.Ordinal)],
            meetings.Count,
            meetings.Count(m => m.Quorate),
            history.OfType<RulesOfProcedureAdopted>().Count(),
            resolutions.Count,
            resolutions.Count == 0 ? null : Math.Round((double)resolutions.Count(r => r.IsBinding) / resolutions.Count, 2),
            history.OfType<WorkingGroupMandated>().Select(w => w.WorkingGroupId).Distinct().Count(),
            history.OfType<GenerativeThemeProposed>().Select(t => t.ThemeId).Distinct().Count(),
            history.OfType<GoalSystemAdopted>().Count(),
            history.OfType<ServiceChainAdopted>().Count(),
            history.OfType<ForwardingContractSigned>().Select(f => f.ContractId).Distinct().Count());
    }
}
