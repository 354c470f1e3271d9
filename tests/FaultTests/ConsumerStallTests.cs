using System.Net;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Messaging;
using Kim.Testing;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kim.FaultTests;

public sealed record StallProbe(int Number);

/// <summary>A consumer that hangs until the test lets it go: it keeps its deliveries unacknowledged, as a silently stopped consumer does.</summary>
public sealed class HangingConsumer : IConsumer<StallProbe>
{
    public static readonly TaskCompletionSource Release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Consume(ConsumeContext<StallProbe> context) => Release.Task;
}

public sealed class StallDbContext(DbContextOptions<StallDbContext> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.ApplyMessagingModel();
}

/// <summary>A consumer that stops taking messages (still connected, no acks, queue growing) turns <c>/health</c> red until it consumes again.</summary>
public sealed class ConsumerStallTests : IAsyncLifetime
{
    private readonly RabbitMqFixture broker = new();
    private readonly TestDirectories directories = new("stall");

    public Task InitializeAsync() => broker.InitializeAsync();

    [Fact]
    public async Task A_hanging_consumer_makes_the_service_not_ready_and_it_recovers_when_consumption_resumes()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration["ConnectionStrings:messaging"] = await broker.CreateVirtualHostAsync("stall");
        builder.Configuration["Messaging:Consumers:StallAfter"] = "00:00:03";
        builder.Services.AddDbContext<StallDbContext>(db => db.UseSqlite($"Data Source={Path.Combine(directories.Path, "stall.db")}"));
        builder.AddDefaultHealthChecks();
        builder.AddKimMessaging<StallDbContext>("stalltest", bus => bus.AddConsumer<HangingConsumer>());
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<StallDbContext>().Database.EnsureCreatedAsync();
        }

        await app.StartAsync();
        var client = app.GetTestClient();
        await Eventually.HealthyAsync(client);

        // More than the consumer holds unacknowledged (the prefetch, 100 by default), so messages wait ready in the queue.
        var bus = app.Services.GetRequiredService<IBus>();
        for (var i = 0; i < 200; i++)
        {
            await bus.Publish(new StallProbe(i));
        }

        await Eventually.TrueAsync(async () => (await client.GetAsync("/health")).StatusCode == HttpStatusCode.ServiceUnavailable,
            "/health to report the stalled consumer", TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive")).StatusCode);

        HangingConsumer.Release.TrySetResult();
        await Eventually.HealthyAsync(client, TimeSpan.FromSeconds(30));
        await app.StopAsync();
    }

    public async Task DisposeAsync()
    {
        await broker.DisposeAsync();
        directories.Dispose();
    }
}
