using Kim.ReportingService.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kim.ReportingService.Overview;

/// <summary>Projection: open cases per tenant.</summary>
public sealed class TenantCaseCount
{
    public required string TenantId { get; init; }

    public int OpenCases { get; set; }
}

/// <summary>The municipal overview (Kommunale Übersicht).</summary>
public sealed record OverviewResponse(IReadOnlyDictionary<string, int> OpenCasesByTenant);

public static class OverviewApi
{
    public static RouteGroupBuilder MapOverviewApi(this RouteGroupBuilder reports)
    {
        reports.MapGet("/overview", GetOverview).WithName("GetOverview").WithTags("Overview");
        return reports;
    }

    public static async Task<Ok<OverviewResponse>> GetOverview(ReportingDbContext db, CancellationToken cancellationToken)
    {
        var counts = await db.TenantCaseCounts.AsNoTracking().OrderBy(c => c.TenantId).ToListAsync(cancellationToken);
        return TypedResults.Ok(new OverviewResponse(counts.ToDictionary(c => c.TenantId, c => c.OpenCases)));
    }
}
