using Kim.Contracts;
using Kim.ReportingService.Infrastructure;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kim.ReportingService.FunctionalTests;

/// <summary>A real ReportingService host on its own SQLite file and broker virtual host, plus a bus to publish events as the other services would.</summary>
public sealed class ReportingServiceFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly RabbitMqFixture broker = new();
    private readonly TestDirectories directories = new("reportingservice");
    private IBusControl? publisher;

    public string SigningKey { get; } = DevTokens.NewSigningKey();

    public string MessagingUri { get; private set; } = "";

    public RabbitMqFixture Broker => broker;

    public async Task InitializeAsync()
    {
        await broker.InitializeAsync();
        MessagingUri = await broker.CreateVirtualHostAsync("reportingservice");
        _ = Services; // start the host, so its queues are bound before anything is published
        await Eventually.HealthyAsync(CreateClient());
        publisher = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(new Uri(MessagingUri)));
        await publisher.StartAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:reportingdb", $"Data Source={Path.Combine(directories.Path, "reportingservice.db")}");
        builder.UseSetting("ConnectionStrings:messaging", MessagingUri);
        builder.UseSetting("Authentication:DevSigningKey", SigningKey);
        // Small batches and writes, so a rebuild over a few hundred events goes through several of each.
        builder.UseSetting("Reporting:ReadModel:RebuildBatchSize", "100");
        builder.UseSetting("Reporting:ReadModel:RebuildFlushEvery", "150");
    }

    /// <summary>Publishes <paramref name="message"/> with its own <c>MessageId</c>, as the outbox does.</summary>
    public Task PublishAsync<T>(T message) where T : IntegrationEvent =>
        publisher!.Publish(message, context => context.MessageId = message.MessageId);

    public HttpClient ClientFor(string tenant = "kommune", string role = KimRoles.Coordinator)
    {
        return CreateClient().WithToken(SigningKey, tenant, role);
    }

    public async Task<T> WithDbAsync<T>(Func<ReportingDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ReportingDbContext>());
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
