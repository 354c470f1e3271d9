using Kim.AppHost.Messaging;
using Kim.Hosting;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Security;

namespace Kim.AppHost;

/// <summary>
/// The platform's application model: the broker, NetworkService, ReportingService (municipal and, in development,
/// the ministry's state-mode instance), one CaseService per tenant, carrier-hosted tenants as external services,
/// and the gateway. Services read only Aspire's conventions (<c>ConnectionStrings__*</c>, <c>services__*</c>,
/// <c>OTEL_*</c>).
/// </summary>
public static class KimPlatform
{
    public static void AddKimPlatform(this IDistributedApplicationBuilder builder, PlatformOptions options)
    {
        options.Validate();
        var secrets = PlatformSecrets.For(builder, options);
        var serviceNames = ServiceNames(options);
        var messaging = PlatformMessaging.Add(builder, options, secrets, serviceNames);

        var network = builder.Service<Projects.NetworkService>(ResourceNames.NetworkService, options.NetworkServicePort, options, secrets, messaging)
            .WithDatabase("networkdb", options, secrets);
        var reporting = builder.Service<Projects.ReportingService>(ResourceNames.ReportingService, options.ReportingServicePort, options, secrets, messaging)
            .WithDatabase("reportingdb", options, secrets);
        if (messaging.ManagementUri is { } management)
        {
            // ReportingService shows queue and error-queue depth to operators.
            reporting.WithEnvironment("RabbitMq__ManagementUri", management);
        }

        var backends = new List<IResourceBuilder<ProjectResource>> { network, reporting };
        if (options.StateReportingServicePort > 0)
        {
            // The ministry's instance, so /api/state/** works in development: same service, state mode, its own database.
            var state = builder.Service<Projects.ReportingService>(ResourceNames.StateReportingService, options.StateReportingServicePort, options, secrets, messaging)
                .WithDatabase("reportingdb", options, secrets)
                .WithEnvironment("Reporting__Mode", "State");
            backends.Add(state);

            // The municipal ReportingService sends its approved submission there, with a development token of the
            // state-reporter role (production: the state's OIDC client-credentials flow).
            reporting.WithReference(state)
                .WithEnvironment("Reporting__Municipality__StateToken", secrets.Value("state-token",
                    () => DevTokens.Create(secrets.SigningKey, "land", KimRoles.StateReporter, ResourceNames.ReportingService, DateTime.UtcNow, TimeSpan.FromDays(30))));
        }

        var tenants = options.EffectiveTenants;
        for (var index = 0; index < tenants.Count; index++)
        {
            var tenant = tenants[index];
            var caseService = builder.Service<Projects.CaseService>(ResourceNames.CaseService(tenant), options.CaseServiceFirstPort + index, options, secrets, messaging)
                .WithDatabase("casedb", options, secrets)
                .WithEnvironment("Tenant__Id", tenant)
                .WithEnvironment("Tenant__PseudonymKey", secrets.Value($"pseudonym-{tenant}", () => secrets.Development.PseudonymKey(tenant)))
                .WithReference(network);
            if (options.CoordinatingTenant.Length > 0 && options.CoordinatingTenant != tenant)
            {
                caseService.WithEnvironment("Tenant__CoordinatingTenant", options.CoordinatingTenant);
            }

            backends.Add(caseService);
        }

        var gateway = builder.AddProject<Projects.Gateway>(ResourceNames.Gateway, launchProfileName: null)
            .WithHttpEndpoint(port: options.GatewayPort, isProxied: false)
            .WithHttpHealthCheck("/health")
            .WithExternalHttpEndpoints()
            .WithServiceEnvironment(options, secrets);
        foreach (var backend in backends)
        {
            gateway.WithReference(backend).WaitFor(backend);
        }

        if (options.CoordinatingTenant.Length > 0)
        {
            gateway.WithEnvironment("Gateway__CoordinatingTenant", options.CoordinatingTenant);
        }

        foreach (var (tenant, url) in options.ExternalTenants)
        {
            // A carrier-hosted CaseService: no process here; the gateway routes to the carrier's address.
            var external = builder.AddExternalService(ResourceNames.CaseService(tenant), url.TrimEnd('/') + "/");
            gateway.WithReference(external);
        }

        GatewayAnnouncement.Subscribe(builder, gateway.Resource, options);
    }

    /// <summary>Every resource that connects to the broker (the gateway does not).</summary>
    public static IReadOnlyList<string> ServiceNames(PlatformOptions options) =>
    [
        ResourceNames.NetworkService,
        ResourceNames.ReportingService,
        .. options.StateReportingServicePort > 0 ? [ResourceNames.StateReportingService] : Array.Empty<string>(),
        .. options.EffectiveTenants.Select(ResourceNames.CaseService),
    ];

    private static IResourceBuilder<ProjectResource> Service<TProject>(this IDistributedApplicationBuilder builder, string name, int port, PlatformOptions options, PlatformSecrets secrets, PlatformMessaging messaging)
        where TProject : IProjectMetadata, new()
    {
        var service = builder.AddProject<TProject>(name, launchProfileName: null)
            .WithHttpEndpoint(port: port, isProxied: false)
            .WithHttpHealthCheck("/health")
            .WithServiceEnvironment(options, secrets)
            .WithEnvironment("Database__MigrateOnStartup", "true");
        messaging.Connect(service);
        return service;
    }

    private static IResourceBuilder<ProjectResource> WithServiceEnvironment(this IResourceBuilder<ProjectResource> service, PlatformOptions options, PlatformSecrets secrets)
    {
        service.WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
            .WithEnvironment("DOTNET_ENVIRONMENT", "Development")
            .WithEnvironment("Authentication__DevSigningKey", secrets.Value("dev-signing-key", () => secrets.SigningKey));
        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint))
        {
            // An external collector instead of the dashboard; this runs after Aspire's own OTLP settings.
            service.WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", options.OtlpEndpoint)
                .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", options.OtlpProtocol)
                .WithEnvironment(context => context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_HEADERS"));
        }

        foreach (var (key, value) in options.Environment)
        {
            service.WithEnvironment(key, value);
        }

        return service;
    }

    private static IResourceBuilder<ProjectResource> WithDatabase(this IResourceBuilder<ProjectResource> service, string database, PlatformOptions options, PlatformSecrets secrets)
    {
        var folder = Path.Combine(secrets.DataDirectory, service.Resource.Name);
        if (!service.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            Directory.CreateDirectory(folder);
        }

        return service.WithEnvironment("ConnectionStrings__" + database, secrets.Value($"{service.Resource.Name}-{database}", () => $"Data Source={Path.Combine(folder, database + ".db")}"));
    }
}
