using Kim.CaseService.Infrastructure;
using Kim.Contracts;
using Kim.Contracts.Network;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kim.CaseService.FunctionalTests;

/// <summary>One tenant's real CaseService host on its own SQLite file, on the shared broker virtual host.</summary>
public sealed class CaseServiceHost(string tenant, string messagingUri, string signingKey, string databasePath, TimeProvider clock) : WebApplicationFactory<Program>
{
    public string Tenant { get; } = tenant;

    public string PseudonymKey { get; } = DevTokens.NewSigningKey();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Tenant:Id", Tenant);
        builder.UseSetting("Tenant:PseudonymKey", PseudonymKey);
        builder.UseSetting("ConnectionStrings:casedb", $"Data Source={databasePath}");
        builder.UseSetting("ConnectionStrings:messaging", messagingUri);
        builder.UseSetting("Authentication:DevSigningKey", signingKey);
        builder.UseSetting("Messaging:Outbox:MaxBackoff", "00:00:01");
        builder.UseSetting("Retention:AnonymiseAfter", "730.00:00:00");
        if (Tenant != CaseServiceFixture.CoordinatingTenant)
        {
            builder.UseSetting("Tenant:CoordinatingTenant", CaseServiceFixture.CoordinatingTenant);
        }

        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton(clock);
            services.AddSingleton<DbProbe>();
            services.AddSingleton<IInterceptor>(provider => provider.GetRequiredService<DbProbe>());
        });
    }

    /// <summary>The host's database commands, watched (see <see cref="DbProbe"/>).</summary>
    public DbProbe Probe => Services.GetRequiredService<DbProbe>();

    public HttpClient ClientFor(string tenant, string role = KimRoles.CaseManager, string user = "test-user") =>
        CreateClient().WithToken(signingKey, tenant, role, user, TimeSpan.FromDays(3000));

    public async Task<T> WithDbAsync<T>(Func<CaseDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<CaseDbContext>());
    }
}

/// <summary>
/// Two tenants' CaseServices (<c>caritas</c>, the default, and <c>kommune</c>) on one broker virtual host, a clock the
/// tests can move, and a bus that publishes the network events a NetworkService would: a registry with a
/// provider outside the platform and one that is the tenant <c>kommune</c>, and an adopted service chain.
/// </summary>
public sealed class CaseServiceFixture : IAsyncLifetime
{
    public const string Tenant = "caritas";

    /// <summary>The coordinating office: its coordinators supervise caritas.</summary>
    public const string CoordinatingTenant = "kommune";

    public static readonly Guid Jobcenter = Guid.Parse("0195a000-0000-7000-8000-000000000001");
    public static readonly Guid KommuneOffice = Guid.Parse("0195a000-0000-7000-8000-000000000002");
    public static readonly Guid LanguageSchool = Guid.Parse("0195a000-0000-7000-8000-000000000003");
    public static readonly Guid WorkChain = Guid.Parse("0195a000-0000-7000-8000-0000000000c1");

    private readonly RabbitMqFixture broker = new();
    private readonly TestDirectories directories = new("caseservice");
    private IBusControl? publisher;

    public string SigningKey { get; } = DevTokens.NewSigningKey();

    public string MessagingUri { get; private set; } = "";

    public RabbitMqFixture Broker => broker;

    public TestClock Clock { get; } = new();

    /// <summary>
    /// Bound, as NetworkService's queue would be, to the exchange of the snapshot requests every CaseService sends at
    /// start (else they would wait in the outbox as unroutable).
    /// </summary>
    public AmqpProbe SnapshotRequests { get; private set; } = null!;

    public CaseServiceHost Caritas { get; private set; } = null!;

    public CaseServiceHost Kommune { get; private set; } = null!;

    public string PseudonymKey => Caritas.PseudonymKey;

    public IServiceProvider Services => Caritas.Services;

    public async Task InitializeAsync()
    {
        await broker.InitializeAsync();
        MessagingUri = await broker.CreateVirtualHostAsync("caseservice");
        SnapshotRequests = await AmqpProbe.BindAsync(MessagingUri, SnapshotRequestExchange);
        Caritas = new CaseServiceHost("caritas", MessagingUri, SigningKey, Path.Combine(directories.Path, "caseservice-caritas.db"), Clock);
        Kommune = new CaseServiceHost("kommune", MessagingUri, SigningKey, Path.Combine(directories.Path, "caseservice-kommune.db"), Clock);
        await Eventually.HealthyAsync(Caritas.CreateClient());
        await Eventually.HealthyAsync(Kommune.CreateClient());

        publisher = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new Uri(MessagingUri));
            rabbit.ConfigureJsonSerializerOptions(json =>
            {
                json.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
                return json;
            });
        });
        await publisher.StartAsync();
        await PublishAsync(new OrganisationRegistered { OrganisationId = Jobcenter, Name = "Jobcenter Kreis Mettmann", Type = OrganisationType.Jobcenter, OccurredAt = DateTime.UtcNow });
        await PublishAsync(new OrganisationRegistered { OrganisationId = KommuneOffice, Name = "Kommunales Integrationszentrum", Type = OrganisationType.MunicipalOffice, TenantId = "kommune", OccurredAt = DateTime.UtcNow });
        await PublishAsync(new OrganisationRegistered { OrganisationId = LanguageSchool, Name = "VHS Sprachkurse", Type = OrganisationType.SchoolOrDaycare, OccurredAt = DateTime.UtcNow });
        await PublishAsync(new ServiceChainAdopted
        {
            ChainId = WorkChain,
            Version = 1,
            Title = "Anerkennung ausländischer Berufsabschlüsse",
            LifeDomain = LifeDomain.TrainingWork,
            ResolutionNumber = "LG-2026-07",
            OccurredAt = DateTime.UtcNow,
            Steps =
            [
                new ChainStep(1, "Beratung zur Anerkennung", LanguageSchool, "VHS Sprachkurse", LegalDomain.SgbIII, new HandoverPoint("Unterlagen", "Termin", "Standard"), 14),
                new ChainStep(2, "Förderung der Anerkennung", Jobcenter, "Jobcenter Kreis Mettmann", LegalDomain.SgbII, new HandoverPoint("Bescheid", "Kostenzusage", "Standard"), 30),
            ],
        });
        foreach (var host in new[] { Caritas, Kommune })
        {
            await Eventually.TrueAsync(() => host.WithDbAsync(async db =>
                await db.ProviderOrganisations.CountAsync() == 3 && await db.ServiceChains.AnyAsync()), $"{host.Tenant} to learn the network registry");
        }
    }

    public const string SnapshotRequestExchange = "Kim.Contracts.Network.Requests:NetworkSnapshotRequested";

    public Task PublishAsync<T>(T message) where T : IntegrationEvent =>
        publisher!.Publish(message, context => context.MessageId = message.MessageId);

    /// <summary>Publishes a message that is no integration event (e.g. a network snapshot) with <paramref name="messageId"/>, as the outbox does.</summary>
    public Task PublishAsync<T>(T message, Guid messageId) where T : class =>
        publisher!.Publish(message, context => context.MessageId = messageId);

    /// <summary>Sends a message between tenants as another tenant's CaseService would: to the target tenant's own exchange.</summary>
    public async Task SendTenantMessageAsync<T>(T message) where T : Kim.Contracts.Referrals.TenantMessage
    {
        var endpoint = await publisher!.GetSendEndpoint(new Uri(Kim.Contracts.Referrals.TenantMessage.AddressOf(message.TargetTenantId)));
        await endpoint.Send(message, context => context.MessageId = message.MessageId);
    }

    public HttpClient ClientFor(string tenant, string role = KimRoles.CaseManager, string user = "test-user") => Caritas.ClientFor(tenant, role, user);

    public HttpClient CreateClient() => Caritas.CreateClient();

    public Task<T> WithDbAsync<T>(Func<CaseDbContext, Task<T>> query) => Caritas.WithDbAsync(query);

    public async Task DisposeAsync()
    {
        if (publisher is not null)
        {
            await publisher.StopAsync();
        }

        await Caritas.DisposeAsync();
        await Kommune.DisposeAsync();
        await SnapshotRequests.DisposeAsync();
        await broker.DisposeAsync();
        directories.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class CaseServiceCollection : ICollectionFixture<CaseServiceFixture>
{
    public const string Name = "case service";
}
