using Kim.ReportingService.Infrastructure;
using Kim.ReportingService.Overview;
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
            .WithSummary("Rebuild every projection from the event store");
        return reports;
    }

    private static async Task<Ok<RebuildResponse>> RebuildAsync(ReportingDbContext db, CancellationToken cancellationToken)
    {
        var replayed = await Projector.RebuildAsync(db, cancellationToken);
        var overview = await OverviewApi.GetOverview(db, cancellationToken);
        return TypedResults.Ok(new RebuildResponse(replayed, overview.Value!));
    }
}
