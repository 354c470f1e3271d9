using Kim.ReportingService.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

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
    public static RouteGroupBuilder MapOverviewApi(this RouteGroupBuilder reports)
    {
        reports.MapGet("/overview", GetOverview).WithName("GetOverview").WithTags("Overview");
        return reports;
    }

    public static async Task<Ok<OverviewResponse>> GetOverview(ReportingDbContext db, CancellationToken cancellationToken)
    {
        var cases = await db.CaseSnapshots.AsNoTracking().Where(c => c.OpeningReceived).ToListAsync(cancellationToken);
        var open = cases.Where(c => c.IsOpen).ToList();
        static IReadOnlyDictionary<string, int> Count<T>(IEnumerable<T> items, Func<T, string> key) =>
            new SortedDictionary<string, int>(items.GroupBy(key).ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal);
        return TypedResults.Ok(new OverviewResponse(
            Count(open, c => c.TenantId),
            Count(open, c => c.Phase.ToString()),
            Count(open, c => c.ResidenceCategory),
            Count(open, c => c.AgeBand),
            Count(cases, c => c.OpenedAt.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)),
            Count(cases.Where(c => c.EndedAt is not null), c => c.EndedAt!.Value.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture))));
    }
}
