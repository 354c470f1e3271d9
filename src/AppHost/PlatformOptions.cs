namespace Kim.AppHost;

/// <summary>What AppHost starts and where (section <c>Platform</c>).</summary>
public sealed class PlatformOptions
{
    public const string SectionName = "Platform";

    /// <summary>Used when <see cref="Tenants"/> is empty: the coordinating office and two carriers.</summary>
    public static readonly IReadOnlyList<string> DefaultTenants = ["kommune", "caritas", "diakonie"];

    /// <summary>Tenants whose CaseService AppHost starts, each its own process and database. An empty entry removes a default (<c>--Platform:Tenants:2=</c>).</summary>
    public List<string> Tenants { get; set; } = [];

    /// <summary>Carrier-hosted CaseServices: tenant -> base URL. AppHost starts nothing for them; the gateway routes to them.</summary>
    /// <summary>
    /// The tenant of the coordinating office (Koordinierende Stelle). Its coordinators see the other tenants through
    /// their pseudonymised supervision view; empty for none.
    /// </summary>
    public string CoordinatingTenant { get; set; } = "kommune";

    public Dictionary<string, string> ExternalTenants { get; set; } = [];

    public string Host { get; set; } = "127.0.0.1";

    public int GatewayPort { get; set; } = 8080;

    public int NetworkServicePort { get; set; } = 8101;

    public int ReportingServicePort { get; set; } = 8102;

    /// <summary>Port of the ReportingService in state mode (the ministry's instance), started in development; 0 starts none.</summary>
    public int StateReportingServicePort { get; set; } = 8103;

    /// <summary>The first tenant's CaseService port; the next tenants count up from here.</summary>
    public int CaseServiceFirstPort { get; set; } = 8110;

    /// <summary>Data of every resource (SQLite files, broker node, development secrets), relative to the repository root.</summary>
    public string DataDirectory { get; set; } = ".data";

    /// <summary>The build configuration whose service outputs are started; defaults to AppHost's own.</summary>
    public string? BuildConfiguration { get; set; }

    /// <summary>OTLP endpoint handed to every child; defaults to <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> of AppHost's environment.</summary>
    public string? OtlpEndpoint { get; set; }

    public string OtlpProtocol { get; set; } = "http/protobuf";

    public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Copy every child's output to the console, prefixed with its resource name (it always goes to <c>.data/logs</c>).</summary>
    public bool EchoOutput { get; set; } = true;

    /// <summary>Extra environment for every child, e.g. <c>--Platform:Environment:Gateway__PermitsPerUser=1000</c>.</summary>
    public Dictionary<string, string> Environment { get; set; } = [];

    /// <summary>Give every service instance its own broker user with least rights (needs the management API of the broker).</summary>
    public bool BrokerUserPerService { get; set; } = true;

    public IReadOnlyList<string> EffectiveTenants =>
        Tenants.Count > 0 ? Tenants.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).ToList() : DefaultTenants;
}
