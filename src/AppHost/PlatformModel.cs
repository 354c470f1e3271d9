using System.Text.RegularExpressions;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Security;

namespace Kim.AppHost;

/// <summary>One process AppHost starts: which service build, where it listens, and the configuration it gets.</summary>
public sealed record ServiceResource(string Name, string Project, Uri Url, IReadOnlyDictionary<string, string> Environment);

/// <summary>Secrets and endpoints that exist only once the platform is starting.</summary>
public sealed record PlatformInputs(string MessagingConnectionString, string DataDirectory, string DevSigningKey, Func<string, string> PseudonymKey, string? ManagementUri = null)
{
    /// <summary>Per-resource broker connection (its own broker user); resources not listed use <see cref="MessagingConnectionString"/>.</summary>
    public IReadOnlyDictionary<string, string> MessagingByResource { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// Declares the platform's resources and wires them the way an Aspire AppHost would: connection strings as
/// <c>ConnectionStrings__{name}</c>, endpoints as <c>services__{name}__http__0</c>, telemetry as <c>OTEL_*</c>.
/// Pure: it starts nothing, so every wiring rule is unit-tested.
/// </summary>
public static partial class PlatformModel
{
    public const string CaseServiceProject = "CaseService";

    [GeneratedRegex("^[a-z][a-z0-9-]{1,31}$")]
    private static partial Regex TenantPattern();

    public static bool IsValidTenant(string tenant) => TenantPattern().IsMatch(tenant) && !tenant.EndsWith('-');

    public static IReadOnlyList<ServiceResource> Build(PlatformOptions options, PlatformInputs inputs)
    {
        var tenants = options.EffectiveTenants;
        var invalid = tenants.Concat(options.ExternalTenants.Keys).Where(t => !IsValidTenant(t)).ToList();
        if (invalid.Count > 0)
        {
            throw new ArgumentException($"Invalid tenant name(s): {string.Join(", ", invalid)}. A tenant is 2-32 lower-case letters, digits or '-', starting with a letter.");
        }

        var duplicates = tenants.Concat(options.ExternalTenants.Keys).GroupBy(t => t).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new ArgumentException($"Tenant(s) configured twice: {string.Join(", ", duplicates)}.");
        }

        var network = Resource(options, inputs, ResourceNames.NetworkService, "NetworkService", options.NetworkServicePort, "networkdb");
        var reporting = Resource(options, inputs, ResourceNames.ReportingService, "ReportingService", options.ReportingServicePort, "reportingdb");
        if (inputs.ManagementUri is not null)
        {
            // ReportingService shows queue and error-queue depth to operators.
            reporting = reporting with { Environment = new Dictionary<string, string>(reporting.Environment) { ["RabbitMq__ManagementUri"] = inputs.ManagementUri } };
        }

        var caseServices = tenants.Select((tenant, index) =>
        {
            var resource = Resource(options, inputs, ResourceNames.CaseService(tenant), CaseServiceProject, options.CaseServiceFirstPort + index, "casedb");
            var environment = new Dictionary<string, string>(resource.Environment)
            {
                ["Tenant__Id"] = tenant,
                ["Tenant__PseudonymKey"] = inputs.PseudonymKey(tenant),
                [ServiceKey(ResourceNames.NetworkService)] = network.Url.ToString().TrimEnd('/'),
            };
            if (options.CoordinatingTenant.Length > 0 && options.CoordinatingTenant != tenant)
            {
                environment["Tenant__CoordinatingTenant"] = options.CoordinatingTenant;
            }

            return resource with { Environment = environment };
        }).ToList();

        var backends = new List<ServiceResource> { network, reporting };
        if (options.StateReportingServicePort > 0)
        {
            // The ministry's instance, so /api/state/** works in development: same service, state mode, its own database.
            var state = Resource(options, inputs, ResourceNames.StateReportingService, "ReportingService", options.StateReportingServicePort, "reportingdb");
            backends.Add(state with { Environment = new Dictionary<string, string>(state.Environment) { ["Reporting__Mode"] = "State" } });

            // The municipal ReportingService sends its approved submission there, with a development token of the
            // state-reporter role (production: the state's OIDC client-credentials flow).
            var stateToken = DevTokens.Create(inputs.DevSigningKey, "land", KimRoles.StateReporter, ResourceNames.ReportingService, DateTime.UtcNow, TimeSpan.FromDays(30));
            backends[1] = reporting with
            {
                Environment = new Dictionary<string, string>(reporting.Environment)
                {
                    [ServiceKey(ResourceNames.StateReportingService)] = state.Url.ToString().TrimEnd('/'),
                    ["Reporting__Municipality__StateToken"] = stateToken,
                },
            };
        }

        backends.AddRange(caseServices);
        var gatewayBase = Resource(options, inputs, ResourceNames.Gateway, "Gateway", options.GatewayPort, database: null);
        var gatewayEnvironment = new Dictionary<string, string>(gatewayBase.Environment);
        gatewayEnvironment.Remove("ConnectionStrings__" + ResourceNames.Messaging);
        foreach (var backend in backends)
        {
            gatewayEnvironment[ServiceKey(backend.Name)] = backend.Url.ToString().TrimEnd('/');
        }

        if (options.CoordinatingTenant.Length > 0)
        {
            gatewayEnvironment["Gateway__CoordinatingTenant"] = options.CoordinatingTenant;
        }

        foreach (var (tenant, url) in options.ExternalTenants)
        {
            gatewayEnvironment[ServiceKey(ResourceNames.CaseService(tenant))] = url.TrimEnd('/');
        }

        return [.. backends, gatewayBase with { Environment = gatewayEnvironment }];
    }

    public static string ServiceKey(string resource) => $"services__{resource}__http__0";

    private static ServiceResource Resource(PlatformOptions options, PlatformInputs inputs, string name, string project, int port, string? database)
    {
        var url = new Uri($"http://{options.Host}:{port}/");
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/'),
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["OTEL_SERVICE_NAME"] = name,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={name}-{port},deployment.environment=development",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "1000",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "5000",
            ["ConnectionStrings__" + ResourceNames.Messaging] = inputs.MessagingByResource.GetValueOrDefault(name, inputs.MessagingConnectionString),
            ["Authentication__DevSigningKey"] = inputs.DevSigningKey,
            ["Database__MigrateOnStartup"] = "true",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        };
        foreach (var (key, value) in options.Environment)
        {
            environment[key] = value;
        }

        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint))
        {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = options.OtlpEndpoint;
            environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = options.OtlpProtocol;
        }

        if (database is not null)
        {
            var file = Path.Combine(inputs.DataDirectory, name, database + ".db");
            environment["ConnectionStrings__" + database] = $"Data Source={file}";
        }

        return new ServiceResource(name, project, url, environment);
    }
}
