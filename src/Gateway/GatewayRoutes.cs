using Kim.ServiceDefaults;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Kim.Gateway;

/// <summary>A service the gateway forwards to, resolved from <c>services__{name}__http__0</c>.</summary>
public sealed record Backend(string Name, string Address);

/// <summary>
/// Builds the YARP routes and clusters from the service-discovery configuration that AppHost (or an Aspire
/// AppHost, or the operator) provides. A tenant exists for the gateway exactly when
/// <c>services__caseservice-{tenant}__http__0</c> is configured; that includes carrier-hosted instances.
/// </summary>
public static class GatewayRoutes
{
    public const string TenantMetadataKey = "kim-tenant";
    public const string AnonymousPolicy = "anonymous";
    private const string CaseServicePrefix = "caseservice-";

    public static IReadOnlyList<Backend> DiscoverBackends(IConfiguration configuration) =>
        configuration.GetSection("services").GetChildren()
            .Select(service => new Backend(service.Key, service["http:0"] ?? service["https:0"] ?? ""))
            .Where(b => b.Address.Length > 0 && b.Name != ResourceNames.Gateway)
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .ToList();

    public static IReadOnlyList<string> Tenants(IEnumerable<Backend> backends) =>
        backends.Where(b => b.Name.StartsWith(CaseServicePrefix, StringComparison.Ordinal))
            .Select(b => b.Name[CaseServicePrefix.Length..])
            .ToList();

    /// <summary>
    /// One cluster per service. The reporting services get <paramref name="reportTimeout"/> (default
    /// <see cref="GatewayOptions.ReportTimeout"/>) as the time they may go without sending a byte: a report computed over
    /// a long history must not end in 504 at the forwarder's default of 100 s. Every other service keeps that default.
    /// </summary>
    public static IReadOnlyList<ClusterConfig> Clusters(IEnumerable<Backend> backends, TimeSpan? reportTimeout = null) =>
        backends.Select(b => new ClusterConfig
        {
            ClusterId = b.Name,
            Destinations = new Dictionary<string, DestinationConfig> { ["primary"] = new() { Address = b.Address } },
            HttpRequest = IsReporting(b.Name)
                ? new ForwarderRequestConfig { ActivityTimeout = reportTimeout ?? new GatewayOptions().ReportTimeout }
                : null,
        }).ToList();

    private static bool IsReporting(string service) =>
        service is ResourceNames.ReportingService or ResourceNames.StateReportingService;

    /// <param name="coordinatingTenant">
    /// The office's tenant, whose CaseService serves the CaseService document (a carrier-hosted instance may be
    /// unreachable for a while or run another version); without one, the first tenant's.
    /// </param>
    public static IReadOnlyList<RouteConfig> Routes(IReadOnlyList<Backend> backends, string? coordinatingTenant = null)
    {
        var names = backends.Select(b => b.Name).ToHashSet(StringComparer.Ordinal);
        var routes = new List<RouteConfig>();
        foreach (var tenant in Tenants(backends))
        {
            routes.Add(new RouteConfig
            {
                RouteId = $"tenant-{tenant}",
                ClusterId = CaseServicePrefix + tenant,
                Match = new RouteMatch { Path = $"/api/tenants/{tenant}/{{**rest}}" },
                AuthorizationPolicy = Kim.ServiceDefaults.Security.AuthenticationExtensions.AuthenticatedPolicy,
                Metadata = new Dictionary<string, string> { [TenantMetadataKey] = tenant },
            });
        }

        AddApiRoute(routes, names, "network", ResourceNames.NetworkService);
        AddApiRoute(routes, names, "reports", ResourceNames.ReportingService);
        AddApiRoute(routes, names, "state", names.Contains(ResourceNames.StateReportingService)
            ? ResourceNames.StateReportingService
            : ResourceNames.ReportingService);

        if (names.Contains(ResourceNames.Identity))
        {
            // The OpenID Connect provider: sign-in pages, protocol endpoints, discovery and keys are public by nature;
            // its administration API checks its own bearer tokens. It serves the same path base itself.
            routes.Add(new RouteConfig
            {
                RouteId = "identity",
                ClusterId = ResourceNames.Identity,
                Match = new RouteMatch { Path = "/identity/{**rest}" },
                AuthorizationPolicy = AnonymousPolicy,
            });
        }

        if (names.Contains(ResourceNames.WebApp))
        {
            // The web front end takes every path no API route took; it signs people in itself. Its WebSocket passes too.
            routes.Add(new RouteConfig
            {
                RouteId = "webapp",
                ClusterId = ResourceNames.WebApp,
                Match = new RouteMatch { Path = "/{**rest}" },
                Order = int.MaxValue,
                AuthorizationPolicy = AnonymousPolicy,
                // The front end builds its own addresses (redirects after a form) from the host people use.
                Transforms = [new Dictionary<string, string> { ["RequestHeaderOriginalHost"] = "true" }],
            });
        }

        foreach (var backend in backends.Where(b => b.Name != ResourceNames.WebApp))
        {
            routes.Add(OpenApiRoute(backend.Name, backend.Name));
        }

        var tenants = Tenants(backends);
        var documentTenant = coordinatingTenant is not null && tenants.Contains(coordinatingTenant) ? coordinatingTenant : tenants.FirstOrDefault();
        if (documentTenant is not null)
        {
            // The CaseService document is the same for every tenant; serve it under the service's name too.
            routes.Add(OpenApiRoute("caseservice", CaseServicePrefix + documentTenant));
        }

        return routes;
    }

    private static void AddApiRoute(List<RouteConfig> routes, HashSet<string> names, string segment, string cluster)
    {
        if (!names.Contains(cluster))
        {
            return;
        }

        routes.Add(new RouteConfig
        {
            RouteId = $"api-{segment}",
            ClusterId = cluster,
            Match = new RouteMatch { Path = $"/api/{segment}/{{**rest}}" },
            AuthorizationPolicy = Kim.ServiceDefaults.Security.AuthenticationExtensions.AuthenticatedPolicy,
        });
    }

    private static RouteConfig OpenApiRoute(string documentName, string cluster) => new()
    {
        RouteId = $"openapi-{documentName}",
        ClusterId = cluster,
        Match = new RouteMatch { Path = $"/openapi/{documentName}.json", Methods = ["GET"] },
        AuthorizationPolicy = AnonymousPolicy,
        Transforms = [new Dictionary<string, string> { ["PathSet"] = "/openapi/v1.json" }],
    };
}
