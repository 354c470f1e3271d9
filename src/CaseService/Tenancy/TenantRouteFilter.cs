using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Security;
using Microsoft.Extensions.Options;

namespace Kim.CaseService.Tenancy;

/// <summary>
/// The route's tenant must be this instance's tenant (else 404, as if the tenant did not exist here), and the
/// caller's token must belong to it (else 403), except that coordinators of the coordinating office reach the
/// supervision endpoints. The service checks this itself and does not rely on the gateway.
/// </summary>
internal sealed class TenantRouteFilter(IOptions<TenantOptions> tenant, Audit.RefusedAccessAudit audit) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var routeTenant = http.GetRouteValue("tenant") as string;
        if (!string.Equals(routeTenant, tenant.Value.Id, StringComparison.Ordinal))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Mandant unbekannt",
                detail: "Dieser CaseService ist für den angefragten Mandanten nicht zuständig.",
                type: ProblemTypes.UnknownTenant);
        }

        var tokenTenant = http.User.FindFirst(KimClaims.Tenant)?.Value;
        if (!string.Equals(tokenTenant, tenant.Value.Id, StringComparison.Ordinal) && !IsSupervision(http, tokenTenant))
        {
            await audit.RecordAsync(http);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Kein Zugriff auf diesen Mandanten",
                detail: "Das Token gehört zu einem anderen Mandanten.",
                type: ProblemTypes.TenantMismatch);
        }

        return await next(context);
    }

    /// <summary>A coordinator of the coordinating office on an endpoint marked for supervision.</summary>
    private bool IsSupervision(HttpContext http, string? tokenTenant) =>
        tenant.Value.CoordinatingTenant.Length > 0
        && string.Equals(tokenTenant, tenant.Value.CoordinatingTenant, StringComparison.Ordinal)
        && http.User.IsInRole(KimRoles.Coordinator)
        && http.GetEndpoint()?.Metadata.GetMetadata<Supervision.SupervisionEndpoint>() is not null;
}
