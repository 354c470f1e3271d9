using Kim.Contracts;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kim.NetworkService.FunctionalTests;

/// <summary>
/// A real NetworkService host on its own SQLite file and broker virtual host, a clock the tests can move, and a bus
/// that publishes events as a CaseService would. Shared by all test classes of the collection (one broker node).
/// </summary>
public sealed class NetworkServiceFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly RabbitMqFixture broker = new();
    private readonly TestDirectories directories = new("networkservice");
    private readonly SemaphoreSlim steeringLock = new(1, 1);
    private IBusControl? publisher;
    private SteeringGroup? steeringGroup;

    /// <summary>The coordinating office, whose coordinators keep the network's records (set explicitly: the service's default is nobody).</summary>
    public const string CoordinatingTenant = "kommune";

    /// <summary>The one tenant the coordinating office delegated the network's records to in these tests.</summary>
    public const string DelegatedTenant = "jugendamt";

    public string SigningKey { get; } = DevTokens.NewSigningKey();

    public string MessagingUri { get; private set; } = "";

    public TestClock Clock { get; } = new();

    /// <summary>Which request wrote what to the service's database.</summary>
    public WriteRecorder Writes => Services.GetRequiredService<WriteRecorder>();

    /// <summary>Stages a concurrent change right before a request saves.</summary>
    public SaveHook Saves => Services.GetRequiredService<SaveHook>();

    /// <summary>Where the service writes its e-mails (<c>Notifications:PickupDirectory</c>) while no SMTP host is set.</summary>
    public string MailDirectory => Path.Combine(directories.Path, "mail");

    /// <summary>Settings a test changes while the service runs (e.g. <c>Notifications:Smtp:Host</c>); options monitors see them at once.</summary>
    public RuntimeSettings Settings { get; } = new();

    public async Task InitializeAsync()
    {
        await broker.InitializeAsync();
        MessagingUri = await broker.CreateVirtualHostAsync("networkservice");
        _ = Services; // start the host, so its queues are bound before anything is published
        await Eventually.HealthyAsync(CreateClient());
        publisher = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(new Uri(MessagingUri)));
        await publisher.StartAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:networkdb", $"Data Source={Path.Combine(directories.Path, "networkservice.db")}");
        builder.UseSetting("ConnectionStrings:messaging", MessagingUri);
        builder.UseSetting("Authentication:DevSigningKey", SigningKey);
        builder.UseSetting("Network:CircularSweepInterval", "00:00:01");
        builder.UseSetting("Network:CoordinatingTenant", CoordinatingTenant);
        builder.UseSetting("Network:DelegatedTenants:0", DelegatedTenant);
        builder.UseSetting("Notifications:PickupDirectory", MailDirectory);
        builder.UseSetting("Notifications:PollInterval", "00:00:00.200");
        builder.UseSetting("Notifications:WebAppUrl", "http://kim.test/");
        builder.ConfigureAppConfiguration(configuration => configuration.Add(Settings));
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.AddHttpContextAccessor();
            services.AddSingleton<WriteRecorder>();
            services.AddSingleton<SaveHook>();
            services.AddSingleton<IInterceptor>(provider => provider.GetRequiredService<WriteRecorder>());
            services.AddSingleton<IInterceptor>(provider => provider.GetRequiredService<SaveHook>());
        });
    }

    /// <summary>Publishes <paramref name="message"/> with its own <c>MessageId</c>, as the outbox does.</summary>
    public Task PublishAsync<T>(T message) where T : IntegrationEvent =>
        publisher!.Publish(message, context => context.MessageId = message.MessageId);

    /// <summary>Publishes a message that is no integration event (e.g. a CaseService's snapshot request) with <paramref name="messageId"/>.</summary>
    public Task PublishAsync<T>(T message, Guid messageId) where T : class =>
        publisher!.Publish(message, context => context.MessageId = messageId);

    public HttpClient ClientFor(string role = KimRoles.Coordinator, string user = "test-user", string tenant = CoordinatingTenant)
    {
        // Valid from now until well after the service's clock, which tests move forward (by up to a year).
        var ahead = Clock.GetUtcNow() - DateTimeOffset.UtcNow;
        return CreateClient().WithToken(SigningKey, tenant, role, user, ahead + TimeSpan.FromDays(60));
    }

    /// <summary>The steering group every governance test works with, set up once: members and the first rules in force.</summary>
    public async Task<SteeringGroup> SteeringGroupAsync()
    {
        await steeringLock.WaitAsync();
        try
        {
            return steeringGroup ??= await SteeringGroup.ConstituteAsync(this);
        }
        finally
        {
            steeringLock.Release();
        }
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (publisher is not null)
        {
            await publisher.StopAsync();
        }

        await DisposeAsync();
        await broker.DisposeAsync();
        directories.Dispose();
    }
}

/// <summary>A configuration source the tests set values in while the host runs; each change reloads the configuration.</summary>
public sealed class RuntimeSettings : ConfigurationProvider, IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    /// <summary>Sets <paramref name="key"/>, or removes it (null), so the other sources' value applies again.</summary>
    public void Change(string key, string? value)
    {
        if (value is null)
        {
            Data.Remove(key);
        }
        else
        {
            Data[key] = value;
        }

        OnReload();
    }
}

[CollectionDefinition(Name)]
public sealed class NetworkCollection : ICollectionFixture<NetworkServiceFixture>
{
    public const string Name = "network service";
}
