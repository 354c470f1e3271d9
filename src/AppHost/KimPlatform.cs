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
        var identity = builder.AddIdentityProvider(options, secrets);

        var network = builder.Service<Projects.NetworkService>(ResourceNames.NetworkService, options.NetworkServicePort, options, secrets, messaging)
            .WithDatabase("networkdb", options, secrets)

            // Its coordinators keep the network's records (organisations, steering group, planning); empty: nobody does.
            .WithEnvironment("Network__CoordinatingTenant", options.CoordinatingTenant)
            .WithDelegatedTenants("Network", options)

            // Invitations of the steering group link to the meeting page of the web front end (served by the gateway).
            .WithEnvironment("Notifications__WebAppUrl", WebAddress(builder, options));
        if (!secrets.IsPublishMode)
        {
            // In development no mail leaves the machine: every e-mail is written as an .eml file to the data directory's
            // mail folder. Deployments configure Notifications__Smtp__* instead.
            network.WithEnvironment("Notifications__PickupDirectory", Path.Combine(secrets.DataDirectory, "mail"));
        }

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

            // The municipal ReportingService sends its approved submission there as its own machine client
            // (client credentials at the provider; role state-reporter; its token names the municipality it submits for).
            reporting.WithReference(state)
                .WithEnvironment("Reporting__Municipality__Id", ReportingMunicipality)
                .WithEnvironment("Reporting__Municipality__TokenEndpoint", ReferenceExpression.Create($"{identity.GetEndpoint("http")}/identity/connect/token"))
                .WithEnvironment("Reporting__Municipality__ClientId", ResourceNames.ReportingService)
                .WithEnvironment("Reporting__Municipality__ClientSecret", ReportingClientSecret(secrets));
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
            .WithServiceEnvironment(options, secrets)
            .WithAuthority(identity, options);
        foreach (var backend in backends)
        {
            backend.WithAuthority(identity, options);
        }

        backends.Add(identity);
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

        // The web front end signs people in at the provider and calls the APIs through the gateway, which serves it at /.
        // It reads the provider's discovery document at the public authority: the endpoints it sends browsers to must be
        // the public ones.
        var webApp = builder.Project<Projects.WebApp>(ResourceNames.WebApp, options.WebAppPort, options, secrets)
            .WithEnvironment("WebApp__PublicAddress", WebAddress(gateway, options))
            .WithIssuer("WebApp__Authority", options)
            .WithEnvironment("WebApp__ClientSecret", WebAppClientSecret(secrets))
            .WithEnvironment("WebApp__Gateway", gateway.GetEndpoint("http"))
            .WithEnvironment("WebApp__CoordinatingTenant", options.CoordinatingTenant)
            .WithDelegatedTenants("WebApp", options)
            .WithEnvironment("WebApp__KeyDirectory", secrets.Value("webapp-key-directory", () => Path.Combine(secrets.DataDirectory, ResourceNames.WebApp, "keys")));
        if (!secrets.IsPublishMode)
        {
            webApp.WithEnvironment("WebApp__RequireHttpsMetadata", "false");
        }

        gateway.WithReference(webApp).WaitFor(webApp);
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
        var service = builder.Project<TProject>(name, port, options, secrets);
        messaging.Connect(service);
        return service;
    }

    private static IResourceBuilder<ProjectResource> Project<TProject>(this IDistributedApplicationBuilder builder, string name, int port, PlatformOptions options, PlatformSecrets secrets)
        where TProject : IProjectMetadata, new() =>
        builder.AddProject<TProject>(name, launchProfileName: null)
            .WithHttpEndpoint(port: port, isProxied: false)
            .WithHttpHealthCheck("/health")
            .WithServiceEnvironment(options, secrets)
            .WithEnvironment("Database__MigrateOnStartup", "true");

    /// <summary>
    /// The OpenID Connect provider, served by the gateway under <c>/identity</c> (same origin as the web front end, so
    /// its cookies are first-party). In development it seeds one user per role and tenant with a generated password.
    /// </summary>
    private static IResourceBuilder<ProjectResource> AddIdentityProvider(this IDistributedApplicationBuilder builder, PlatformOptions options, PlatformSecrets secrets)
    {
        var identity = builder.Project<Projects.Identity>(ResourceNames.Identity, options.IdentityPort, options, secrets)
            .WithDatabase("identitydb", options, secrets)
            .WithEnvironment("Identity__PathBase", "/identity")
            .WithIssuer("Identity__Issuer", options)
            .WithEnvironment("Identity__KeyDirectory", secrets.Value("identity-key-directory", () => Path.Combine(secrets.DataDirectory, ResourceNames.Identity, "keys")))
            .WithEnvironment("Identity__KeyPassword", secrets.Value("identity-key-password", () => secrets.Development.Secret("identity-key-password")))
            .WithEnvironment("Identity__CoordinatingTenant", options.CoordinatingTenant)
            .WithEnvironment("Identity__Clients__0__ClientId", CliClient.Id)
            .WithEnvironment("Identity__Clients__0__DisplayName", "KIM Kommandozeile")
            .WithEnvironment("Identity__Clients__0__RedirectUris__0", CliClient.RedirectUri)
            .WithEnvironment("Identity__Clients__1__ClientId", ResourceNames.ReportingService)
            .WithEnvironment("Identity__Clients__1__DisplayName", "Kommunale Berichterstattung")
            .WithEnvironment("Identity__Clients__1__Secret", ReportingClientSecret(secrets))
            .WithEnvironment("Identity__Clients__1__Machine", "true")
            .WithEnvironment("Identity__Clients__1__Tenant", "land")
            .WithEnvironment("Identity__Clients__1__Roles__0", KimRoles.StateReporter)
            .WithEnvironment("Identity__Clients__1__Municipality", ReportingMunicipality)
            .WithEnvironment("Identity__Clients__2__ClientId", ResourceNames.WebApp)
            .WithEnvironment("Identity__Clients__2__DisplayName", "KIM Webanwendung")
            .WithEnvironment("Identity__Clients__2__Secret", WebAppClientSecret(secrets))
            .WithEnvironment("Identity__Clients__2__RedirectUris__0", WebAddress(builder, options, "signin-oidc"))
            .WithEnvironment("Identity__Clients__2__PostLogoutRedirectUris__0", WebAddress(builder, options, "signout-callback-oidc"));
        var tenants = options.EffectiveTenants.Concat(options.ExternalTenants.Keys).ToList();
        for (var index = 0; index < tenants.Count; index++)
        {
            identity.WithEnvironment($"Identity__Tenants__{index}", tenants[index]);
        }

        if (!secrets.IsPublishMode)
        {
            // Development only: plain http behind the local gateway, and one user per role and tenant.
            identity.WithEnvironment("Identity__AllowHttp", "true")
                .WithEnvironment("Identity__SeedPassword", secrets.Development.Secret("identity-seed-password"));
        }

        return identity;
    }

    private static ReferenceExpression WebAppClientSecret(PlatformSecrets secrets) =>
        secrets.Value("webapp-client-secret", () => secrets.Development.Secret("webapp-client-secret"));

    /// <summary>Where people reach the web front end: the gateway's address (a parameter, the public https address, when publishing).</summary>
    private static ReferenceExpression WebAddress(IDistributedApplicationBuilder builder, PlatformOptions options, string path = "") =>
        builder.ExecutionContext.IsPublishMode
            ? ReferenceExpression.Create($"{PublicAddress(builder)}{path}")
            : ReferenceExpression.Create($"http://127.0.0.1:{options.GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}/{path}");

    private static ReferenceExpression WebAddress(IResourceBuilder<ProjectResource> gateway, PlatformOptions options) =>
        WebAddress(gateway.ApplicationBuilder, options);

    private static IResourceBuilder<ParameterResource> PublicAddress(IDistributedApplicationBuilder builder) =>
        builder.Resources.OfType<ParameterResource>().FirstOrDefault(p => p.Name == "public-address") is { } existing
            ? builder.CreateResourceBuilder(existing)
            : builder.AddParameter("public-address");

    /// <summary>The municipality the development platform's municipal ReportingService reports for (Kreis Mettmann, by AGS).</summary>
    private const string ReportingMunicipality = "05158";

    private static ReferenceExpression ReportingClientSecret(PlatformSecrets secrets) =>
        secrets.Value("reportingservice-client-secret", () => secrets.Development.Secret("reportingservice-client-secret"));

    /// <summary>Where people and services reach the provider: through the gateway (a parameter, the public https address, when publishing).</summary>
    public static string Issuer(PlatformOptions options) => $"http://127.0.0.1:{options.GatewayPort}/identity/";

    private static object IssuerValue(IResourceBuilder<ProjectResource> resource, PlatformOptions options) =>
        resource.ApplicationBuilder.ExecutionContext.IsPublishMode
            ? (resource.ApplicationBuilder.Resources.OfType<ParameterResource>().FirstOrDefault(p => p.Name == "identity-issuer") is { } existing
                ? resource.ApplicationBuilder.CreateResourceBuilder(existing)
                : resource.ApplicationBuilder.AddParameter("identity-issuer"))
            : Issuer(options);

    private static IResourceBuilder<ProjectResource> WithIssuer(this IResourceBuilder<ProjectResource> resource, string name, PlatformOptions options) =>
        IssuerValue(resource, options) switch
        {
            IResourceBuilder<ParameterResource> parameter => resource.WithEnvironment(name, parameter),
            var value => resource.WithEnvironment(name, (string)value),
        };

    /// <summary>Services and the gateway accept the provider's tokens (and, in development, the CLI's development tokens).</summary>
    private static IResourceBuilder<ProjectResource> WithAuthority(this IResourceBuilder<ProjectResource> service, IResourceBuilder<ProjectResource> identity, PlatformOptions options)
    {
        service.WithIssuer("Authentication__Authority", options)
            .WithEnvironment("Authentication__MetadataAddress", ReferenceExpression.Create($"{identity.GetEndpoint("http")}/identity/.well-known/openid-configuration"));
        if (!service.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            service.WithEnvironment("Authentication__RequireHttpsMetadata", "false");
        }

        return service;
    }

    private static IResourceBuilder<ProjectResource> WithServiceEnvironment(this IResourceBuilder<ProjectResource> service, PlatformOptions options, PlatformSecrets secrets)
    {
        if (secrets.IsPublishMode)
        {
            // What deployment tools get: production, tokens from the provider only, no development key.
            service.WithEnvironment("ASPNETCORE_ENVIRONMENT", "Production").WithEnvironment("DOTNET_ENVIRONMENT", "Production");
        }
        else
        {
            service.WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
                .WithEnvironment("DOTNET_ENVIRONMENT", "Development")
                .WithEnvironment("Authentication__DevSigningKey", secrets.SigningKey);
        }

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

    /// <summary>The same delegation list for the NetworkService's policy and the web front end's forms.</summary>
    private static IResourceBuilder<ProjectResource> WithDelegatedTenants(this IResourceBuilder<ProjectResource> resource, string section, PlatformOptions options)
    {
        foreach (var (tenant, index) in options.NetworkDelegatedTenants.Select((tenant, index) => (tenant, index)))
        {
            resource.WithEnvironment($"{section}__DelegatedTenants__{index}", tenant);
        }

        return resource;
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
