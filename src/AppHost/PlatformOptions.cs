using Microsoft.Extensions.Configuration;

namespace Kim.AppHost;

/// <summary>What AppHost declares and where (section <c>Platform</c>).</summary>
public sealed class PlatformOptions
{
    public const string SectionName = "Platform";

    /// <summary>Used when <see cref="Tenants"/> is empty: the coordinating office and two carriers.</summary>
    public static readonly IReadOnlyList<string> DefaultTenants = ["kommune", "caritas", "diakonie"];

    /// <summary>Tenants whose CaseService AppHost starts, each its own process and database. An empty entry removes a default (<c>--Platform:Tenants:2=</c>).</summary>
    public List<string> Tenants { get; set; } = [];

    /// <summary>Carrier-hosted CaseServices: tenant -> base URL. AppHost starts nothing for them; the gateway routes to them.</summary>
    public Dictionary<string, string> ExternalTenants { get; set; } = [];

    /// <summary>
    /// The tenant of the coordinating office (Koordinierende Stelle). Its coordinators see the other tenants through
    /// their pseudonymised supervision view; empty for none.
    /// </summary>
    public string CoordinatingTenant { get; set; } = "kommune";

    /// <summary>
    /// Further tenants the coordinating office delegated the network's records to (organisations, steering group,
    /// planning); passed to the NetworkService and the web front end alike. None by default.
    /// </summary>
    public string[] NetworkDelegatedTenants { get; set; } = [];

    public int GatewayPort { get; set; } = 8080;

    public int NetworkServicePort { get; set; } = 8101;

    public int ReportingServicePort { get; set; } = 8102;

    /// <summary>Port of the OpenID Connect provider (<c>src/Identity</c>); the gateway serves it under <c>/identity</c>.</summary>
    public int IdentityPort { get; set; } = 8104;

    /// <summary>Port of the web front end (<c>src/WebApp</c>); the gateway serves it at <c>/</c>.</summary>
    public int WebAppPort { get; set; } = 8105;

    /// <summary>Port of the ReportingService in state mode (the ministry's instance); 0 declares none.</summary>
    public int StateReportingServicePort { get; set; } = 8103;

    /// <summary>The first tenant's CaseService port; the next tenants count up from here.</summary>
    public int CaseServiceFirstPort { get; set; } = 8110;

    /// <summary>Data of every resource (SQLite files, broker node, development secrets), relative to the repository root.</summary>
    public string DataDirectory { get; set; } = ".data";

    /// <summary>
    /// An OTLP collector (Grafana, Jaeger, any OTLP backend) that receives every service's telemetry instead of the
    /// Aspire dashboard; defaults to <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> of AppHost's environment.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    public string OtlpProtocol { get; set; } = "http/protobuf";

    /// <summary>Extra environment for every service, e.g. <c>--Platform:Environment:Gateway__PermitsPerUser=1000</c>.</summary>
    public Dictionary<string, string> Environment { get; set; } = [];

    /// <summary>Give every service instance its own broker user with least rights (needs the broker's management API).</summary>
    public bool BrokerUserPerService { get; set; } = true;

    /// <summary>
    /// The options from AppHost's configuration, with the carrier-hosted tenants that the CLI's <c>add-tenant</c>
    /// registered in the data folder (<c>tenants/external-tenants.json</c>); a tenant configured otherwise keeps that URL.
    /// </summary>
    public static PlatformOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(SectionName).Get<PlatformOptions>() ?? new PlatformOptions();
        var persisted = Kim.Hosting.ExternalTenantsFile.Read(Kim.Hosting.ExternalTenantsFile.PathIn(Kim.Hosting.RepositoryPaths.DataDirectory(configuration)));
        foreach (var (tenant, url) in persisted)
        {
            options.ExternalTenants.TryAdd(tenant, url);
        }

        return options;
    }

    public IReadOnlyList<string> EffectiveTenants =>
        Tenants.Count > 0 ? Tenants.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).ToList() : DefaultTenants;

    /// <summary>Refuses invalid or doubly configured tenant names.</summary>
    public void Validate()
    {
        var all = EffectiveTenants.Concat(ExternalTenants.Keys).ToList();
        var invalid = all.Where(t => !Kim.ServiceDefaults.TenantNames.IsValid(t)).ToList();
        if (invalid.Count > 0)
        {
            throw new ArgumentException($"Invalid tenant name(s): {string.Join(", ", invalid)}. A tenant is 2-32 lower-case letters, digits or '-', starting with a letter.");
        }

        var duplicates = all.GroupBy(t => t).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new ArgumentException($"Tenant(s) configured twice: {string.Join(", ", duplicates)}.");
        }
    }
}
