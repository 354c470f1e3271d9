using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Security;
using Yarp.ReverseProxy.Model;

namespace Kim.Gateway;

internal static class Extensions
{
    public static void AddGateway(this IHostApplicationBuilder builder)
    {
        var backends = GatewayRoutes.DiscoverBackends(builder.Configuration);
        var options = builder.Configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
        var proxy = builder.Services.AddReverseProxy()
            .LoadFromMemory(GatewayRoutes.Routes(backends, options.CoordinatingTenant.Length > 0 ? options.CoordinatingTenant : null), GatewayRoutes.Clusters(backends, options.ReportTimeout));
        proxy.AddBackendTls(builder.Configuration);
        builder.AddGatewayHardening(proxy);
        builder.AddBadRequestProblems();
        builder.Services.AddHttpLoggingInterceptor<GatewayRequestLog>();
    }

    public static void MapGateway(this WebApplication app)
    {
        app.MapReverseProxy(proxy => proxy.Use(RequireTokenOfRouteTenant));

        // Reached only when no tenant route matched: the tenant is not configured on this platform.
        app.Map("/api/tenants/{tenant}/{**rest}", (string tenant) => TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Mandant unbekannt",
                detail: "Für diesen Mandanten ist kein CaseService eingerichtet.",
                type: ProblemTypes.UnknownTenant))
            .RequireAuthorization(AuthenticationExtensions.AuthenticatedPolicy);
        app.Map("/api/{**rest}", () => TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Nicht gefunden",
                type: ProblemTypes.NotFound))
            .RequireAuthorization(AuthenticationExtensions.AuthenticatedPolicy);
    }

    /// <summary>
    /// The coordinating office's coordinators supervise forwarded tenants through their pseudonymised supervision
    /// routes only (the CaseService checks the same and marks which endpoints these are).
    /// </summary>
    private static bool IsSupervision(HttpContext context, string tenant, string? tokenTenant)
    {
        var coordinating = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<GatewayOptions>>().Value.CoordinatingTenant;
        return coordinating.Length > 0
            && string.Equals(tokenTenant, coordinating, StringComparison.Ordinal)
            && context.User.IsInRole(KimRoles.Coordinator)
            && context.Request.Path.StartsWithSegments($"/api/tenants/{tenant}/supervision", StringComparison.Ordinal);
    }

    /// <summary>A token of tenant A never reaches tenant B's CaseService; the service checks this again.</summary>
    private static async Task RequireTokenOfRouteTenant(HttpContext context, Func<Task> next)
    {
        var route = context.GetReverseProxyFeature().Route.Config;
        var tokenTenant = context.User.FindFirst(KimClaims.Tenant)?.Value;
        if (route.Metadata?.TryGetValue(GatewayRoutes.TenantMetadataKey, out var tenant) == true
            && !string.Equals(tokenTenant, tenant, StringComparison.Ordinal)
            && !IsSupervision(context, tenant, tokenTenant))
        {
            SecurityEvents.Record(context, SecurityEvents.AuthorizationRefused, SecurityEvents.TenantMismatch);
            await TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Kein Zugriff auf diesen Mandanten",
                detail: "Das Token gehört zu einem anderen Mandanten.",
                type: ProblemTypes.TenantMismatch).ExecuteAsync(context);
            return;
        }

        await next();
    }
}
