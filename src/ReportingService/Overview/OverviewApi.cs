using Kim.ReportingService.Infrastructure;
using Kim.ReportingService.ReadModels;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kim.ReportingService.Overview;

/// <summary>The municipal overview (Kommunale Übersicht): open cases by tenant, phase, residence category and age band; cases opened and ended per month (yyyy-MM).</summary>
public sealed record OverviewResponse(
    IReadOnlyDictionary<string, int> OpenCasesByTenant,
    IReadOnlyDictionary<string, int> OpenCasesByPhase,
    IReadOnlyDictionary<string, int> OpenCasesByResidenceCategory,
    IReadOnlyDictionary<string, int> OpenCasesByAgeBand,
    IReadOnlyDictionary<string, int> OpenedPerMonth,
    IReadOnlyDictionary<string, int> EndedPerMonth);

public static class OverviewApi
{
    private static readonly string[] Counters = [Figure.OpenByTenant, Figure.OpenByPhase, Figure.OpenByResidence, Figure.OpenByAge, Figure.Opened, Figure.Ended];

    public static RouteGroupBuilder MapOverviewApi(this RouteGroupBuilder reports)
    {
        reports.MapGet("/overview", GetOverview).WithName("GetOverview").WithTags("Overview");
        return reports;
    }

    public static async Task<Ok<OverviewResponse>> GetOverview(ReportingDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(Of(await ReadModelStore.LoadAsync(db, Counters, withWaiting: false, cancellationToken)));

    public static OverviewResponse Of(Contributions figures) => new(
        figures.ByDimension(Figure.OpenByTenant),
        figures.ByDimension(Figure.OpenByPhase),
        figures.ByDimension(Figure.OpenByResidence),
        figures.ByDimension(Figure.OpenByAge),
        figures.ByMonth(Figure.Opened),
        figures.ByMonth(Figure.Ended));
}
