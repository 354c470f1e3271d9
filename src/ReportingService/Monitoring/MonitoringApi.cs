using System.Globalization;
using System.Text;
using Kim.Contracts.Cases;
using Kim.Contracts.Network;
using Kim.ReportingService.EventStore;
using Kim.ReportingService.Infrastructure;
using Kim.ReportingService.ReadModels;
using Kim.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kim.ReportingService.Monitoring;

public sealed record CaseWork(IReadOnlyList<PhaseTime> TimeInPhase, GoalFigures Goals);

/// <summary>What a coordinator sees first: where referrals stall, then the figures of case work and governance.</summary>
public sealed record Dashboard(IReadOnlyList<ChainStepHandover> Bottlenecks, int OverdueReferrals, int OpenReferrals, CaseWork CaseWork, PracticeIndicators Indicators);

/// <summary>
/// Live municipal monitoring from the read model: time per phase, goals, referral handovers, practice and governance
/// indicators. Each report reads its counters (and the network's few events), never the cases' history.
/// </summary>
public static class MonitoringApi
{
    private static readonly string[] CaseWorkCounters = [Figure.Stay, Figure.GoalsAgreed, Figure.GoalsEvaluated, Figure.GoalsAchieved, Figure.GoalsPartlyAchieved];
    private static readonly string[] ReferralCounters =
    [
        Figure.ReferralStatus, Figure.ReferralProvider, Figure.ReferralDomain, Figure.ReferralsOpen, Figure.StepReferrals, Figure.StepTarget, Figure.StepDecided,
        Figure.StepRejected, Figure.StepHandover, Figure.StepLate, Figure.StepWithdrawn, Figure.StepBarriers, Figure.ProviderBarriers,
    ];

    private static readonly string[] PracticeCounters = [Figure.Reviews, Figure.Reconstructions, Figure.CasesOpened, Figure.CasesReferred];

    /// <summary>The network's events: few (meetings, resolutions, chains ...), read from the event store as they are.</summary>
    public static readonly Type[] NetworkTypes =
    [
        typeof(MeetingHeld), typeof(RulesOfProcedureAdopted), typeof(ResolutionAdopted), typeof(WorkingGroupMandated), typeof(GenerativeThemeProposed),
        typeof(GoalSystemAdopted), typeof(ServiceChainAdopted), typeof(ForwardingContractSigned),
    ];

    public static RouteGroupBuilder MapMonitoringApi(this RouteGroupBuilder reports)
    {
        reports.MapGet("/dashboard", GetDashboard).WithTags("Monitoring");
        reports.MapGet("/case-work", GetCaseWork).WithTags("Monitoring");
        reports.MapGet("/referrals", GetReferrals).WithTags("Monitoring");
        reports.MapGet("/referrals/bottlenecks.csv", GetBottlenecksCsv).WithTags("Monitoring");
        reports.MapGet("/referrals/comparison", GetComparison).WithTags("Monitoring");
        reports.MapGet("/indicators", GetIndicators).WithTags("Monitoring");
        reports.MapGet("/case-work.csv", GetCaseWorkCsv).WithTags("Monitoring");
        return reports;
    }

    public static async Task<Ok<Dashboard>> GetDashboard(ReportingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var referrals = await ReferralsAsync(db, now, cancellationToken);
        var caseWork = await CaseWorkAsync(db, cancellationToken);
        var indicators = await IndicatorsAsync(db, now, cancellationToken);
        return TypedResults.Ok(new Dashboard(referrals.Bottlenecks, referrals.Overdue, referrals.Open, caseWork, indicators));
    }

    public static async Task<Ok<CaseWork>> GetCaseWork(ReportingDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await CaseWorkAsync(db, cancellationToken));

    public static async Task<Ok<ReferralAnalysis>> GetReferrals(ReportingDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ReferralsAsync(db, clock.GetUtcNow().UtcDateTime, cancellationToken));

    /// <summary>
    /// Before and after for one chain: side A against side B, each a chain version (<c>versionA</c>) and/or the months its
    /// referrals were issued in (<c>fromA</c>, <c>toA</c> as <c>yyyy-MM</c>); e.g. <c>?chain=…&amp;versionA=1&amp;versionB=2</c>.
    /// </summary>
    public static async Task<Results<Ok<HandoverComparison>, ValidationProblem>> GetComparison(
        string? chain, int? versionA, string? fromA, string? toA, int? versionB, string? fromB, string? toB, ReportingDbContext db, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var validation = new Validation();
        validation.That(Guid.TryParse(chain, out var chainId), "chain", "Die ID einer Dienstleistungskette ist anzugeben.");
        foreach (var (name, month) in new[] { ("fromA", fromA), ("toA", toA), ("fromB", fromB), ("toB", toB) })
        {
            validation.That(month is null || IsMonth(month), name, "Ein Monat im Format JJJJ-MM, z. B. 2026-03.");
        }

        validation.That(versionA is null or > 0, "versionA", "Eine Version ab 1.").That(versionB is null or > 0, "versionB", "Eine Version ab 1.")
            .That(fromA is null || toA is null || string.CompareOrdinal(fromA, toA) <= 0, "toA", "Nicht vor fromA.")
            .That(fromB is null || toB is null || string.CompareOrdinal(fromB, toB) <= 0, "toB", "Nicht vor fromB.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var figures = await ReadModelStore.LoadAsync(db, ReferralCounters, withWaiting: true, cancellationToken);
        return TypedResults.Ok(Analyses.Compare(figures, now, await ChainsAsync(db, cancellationToken), chainId, new HandoverSide(versionA, fromA, toA), new HandoverSide(versionB, fromB, toB)));
    }

    private static bool IsMonth(string month) =>
        DateTime.TryParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    public static async Task<FileContentHttpResult> GetBottlenecksCsv(ReportingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var analysis = await ReferralsAsync(db, clock.GetUtcNow().UtcDateTime, cancellationToken);
        var csv = Csv.Line(new StringBuilder(), "Rang", "Kette", "Version", "Schritt", "Tätigkeit", "Leistungserbringer", "Vermittlungen", "beantwortet", "wartend", "Zieltage",
            "Übergabe Median (Tage)", "Übergabe P90 (Tage)", "verspätet beantwortet", "wartend über Zielzeit", "Anteil über Zielzeit", "Ablehnungsquote", "Engpasswert", "Hürden aus Fallrekonstruktionen", "Ketten-ID");
        foreach (var (s, rank) in analysis.Bottlenecks.Select((s, i) => (s, i + 1)))
        {
            Csv.Line(csv, Whole(rank), s.Chain ?? "unbekannte Kette", Whole(s.Version), Whole(s.Step), s.Activity ?? "", s.Provider ?? "", Whole(s.Referrals), Whole(s.Answered),
                Whole(s.Waiting), Whole(s.TargetDays), Number(s.MedianDays), Number(s.P90Days), Whole(s.AnsweredLate), Whole(s.WaitingPastTarget), Number(s.SharePastTarget),
                Number(s.RejectionRate), Number(s.BottleneckScore), Whole(s.Barriers), s.ChainId.ToString());
        }

        return State.StateReport.CsvFile(csv.ToString(), "engpaesse.csv");
    }

    public static async Task<FileContentHttpResult> GetCaseWorkCsv(ReportingDbContext db, CancellationToken cancellationToken)
    {
        var caseWork = await CaseWorkAsync(db, cancellationToken);
        var csv = Csv.Line(new StringBuilder(), "Phase", "abgeschlossene Aufenthalte", "Median (Tage)", "P90 (Tage)");
        foreach (var phase in caseWork.TimeInPhase)
        {
            Csv.Line(csv, phase.Phase.ToString(), Whole(phase.Stays), Number(phase.MedianDays), Number(phase.P90Days));
        }

        Csv.Line(csv, []);
        Csv.Line(csv, "Ziele vereinbart", "bei Abschluss bewertet", "erreicht", "teilweise erreicht");
        Csv.Line(csv, Whole(caseWork.Goals.Agreed), Whole(caseWork.Goals.EvaluatedAtClosure), Whole(caseWork.Goals.Achieved), Whole(caseWork.Goals.PartlyAchieved));
        return State.StateReport.CsvFile(csv.ToString(), "fallarbeit.csv");
    }

    public static async Task<Ok<PracticeIndicators>> GetIndicators(ReportingDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        TypedResults.Ok(await IndicatorsAsync(db, clock.GetUtcNow().UtcDateTime, cancellationToken));

    internal static async Task<PracticeIndicators> IndicatorsAsync(ReportingDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        var figures = await ReadModelStore.LoadAsync(db, PracticeCounters, withWaiting: false, cancellationToken);
        var network = await EventHistory.LoadAsync(db, NetworkTypes, cancellationToken);
        var since = now.AddDays(-30);
        var arrivals = await db.TenantActivities.AsNoTracking().Where(a => a.LastReceivedAt >= since).ToListAsync(cancellationToken);
        return Analyses.Practice(figures, network, [.. arrivals.Select(a => (a.TenantId, a.LastReceivedAt))], now);
    }

    internal static async Task<ReferralAnalysis> ReferralsAsync(ReportingDbContext db, DateTime now, CancellationToken cancellationToken, MonthRange? months = null) =>
        Analyses.Referrals(await ReadModelStore.LoadAsync(db, ReferralCounters, withWaiting: true, cancellationToken), now, await ChainsAsync(db, cancellationToken), months);

    /// <summary>The adopted versions of the service chains, to name the steps.</summary>
    private static async Task<List<ServiceChainAdopted>> ChainsAsync(ReportingDbContext db, CancellationToken cancellationToken) =>
        [.. (await EventHistory.LoadAsync(db, [typeof(ServiceChainAdopted)], cancellationToken)).OfType<ServiceChainAdopted>().DistinctBy(c => (c.ChainId, c.Version))];

    private static async Task<CaseWork> CaseWorkAsync(ReportingDbContext db, CancellationToken cancellationToken)
    {
        var figures = await ReadModelStore.LoadAsync(db, CaseWorkCounters, withWaiting: false, cancellationToken);
        return new CaseWork(Analyses.TimeInPhase(figures), Analyses.Goals(figures));
    }

    private static string Whole(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Number(double? value) => value?.ToString("0.##", CultureInfo.InvariantCulture).Replace('.', ',') ?? "";
}
