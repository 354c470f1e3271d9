using Kim.ReportingService.Infrastructure;
using Kim.ReportingService.Overview;
using Kim.ReportingService.ReadModels;
using Kim.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kim.ReportingService.Projections;

public sealed record RebuildResponse(int ReplayedEvents, OverviewResponse Overview);

public static class ProjectionsApi
{
    public static RouteGroupBuilder MapProjectionsApi(this RouteGroupBuilder reports)
    {
        reports.MapPost("/projections/rebuild", RebuildAsync)
            .RequireAuthorization(policy => policy.RequireRole(KimRoles.Operator))
            .WithName("RebuildProjections")
            .WithSummary("Rebuild the read model from the event store (into a new generation, swapped in at the end)");
        return reports;
    }

    private static async Task<Ok<RebuildResponse>> RebuildAsync(ReadModelRebuild rebuild, ReportingDbContext db, CancellationToken cancellationToken)
    {
        var progress = await rebuild.RunAsync(cancellationToken);
        var overview = await OverviewApi.GetOverview(db, cancellationToken);
        return TypedResults.Ok(new RebuildResponse((int)progress.ReplayedEvents, overview.Value!));
    }
}
