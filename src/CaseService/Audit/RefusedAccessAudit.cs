using Kim.CaseService.Infrastructure;
using Kim.CaseService.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;

namespace Kim.CaseService.Audit;

/// <summary>
/// A signed-in person refused on one of this tenant's routes (wrong role, another tenant's token) is an entry of the
/// tenant's audit chain (ASVS 16.3.2), written before the <c>403</c> is answered: the data-protection officer sees who
/// tried to reach which case, not only that someone failed. Requests without a valid token name nobody and stay
/// security events (log and counter), as do refusals at the gateway, which never reach the tenant's data.
/// </summary>
internal sealed class RefusedAccessAudit(IOptions<TenantOptions> tenant, ILogger<RefusedAccessAudit> logger) : IAuthorizationMiddlewareResultHandler
{
    public const string Action = "access.refused";

    private readonly AuthorizationMiddlewareResultHandler answer = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && context.User.Identity?.IsAuthenticated == true
            && string.Equals(context.GetRouteValue("tenant") as string, tenant.Value.Id, StringComparison.Ordinal))
        {
            await RecordAsync(context);
        }

        await answer.HandleAsync(next, context, policy, authorizeResult);
    }

    /// <summary>Appends the refusal to the chain: the case's id where the route names one, else the route's template.</summary>
    public async Task RecordAsync(HttpContext context)
    {
        var (resourceType, resourceId) = Guid.TryParse(context.GetRouteValue("id") as string, out var id)
            ? ("case", id.ToString())
            : ("endpoint", $"{context.Request.Method} {(context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText?.TrimEnd('/') ?? "?"}");
        try
        {
            var db = context.RequestServices.GetRequiredService<CaseDbContext>();
            var clock = context.RequestServices.GetRequiredService<TimeProvider>();
            await context.RequestServices.GetRequiredService<AuditWriter>().AppendAsync(db,
                [AuditEntry.For(context.User, Action, resourceType, resourceId, AuditPurposes.AccessControl, clock.GetUtcNow().UtcDateTime)], context.RequestAborted);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The request is refused either way; a refusal that could not be recorded is said loudly.
            logger.LogError(exception, "A refused request on {Method} {Resource} could not be written to the audit log", context.Request.Method, resourceType);
        }
    }
}
