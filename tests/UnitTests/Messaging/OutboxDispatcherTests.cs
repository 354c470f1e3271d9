using System.Reflection;
using Kim.CaseService.Referrals;
using Kim.Contracts.Cases;
using Kim.Contracts.Referrals;
using Kim.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kim.UnitTests.Messaging;

public sealed class OutboxOnlyDbContext(DbContextOptions<OutboxOnlyDbContext> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.ApplyMessagingModel();
}

/// <summary>A bus that either takes every publish or fails it, as a broker that is down would.</summary>
public class ScriptedBus : DispatchProxy
{
    public bool Fails { get; set; }

    public List<object> Published { get; } = [];

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod?.Name != nameof(IBus.Publish) || targetMethod.ReturnType != typeof(Task))
        {
            throw new NotSupportedException(targetMethod?.Name);
        }

        if (Fails)
        {
            return Task.FromException(new InvalidOperationException("broker unreachable"));
        }

        Published.Add(args![0]!);
        return Task.CompletedTask;
    }
}

/// <summary>A clock that moves only when the test moves it.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}

/// <summary>The outbox dispatcher against a bus the test controls: the back-off schedule and which payloads are erased once sent.</summary>
public sealed class OutboxDispatcherTests : IAsyncLifetime
{
    private readonly SqliteConnection connection = new("Data Source=:memory:");
    private readonly ManualClock clock = new(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
    private readonly IBus bus = DispatchProxy.Create<IBus, ScriptedBus>();
    private ServiceProvider services = null!;

    private ScriptedBus Bus => (ScriptedBus)(object)bus;

    public async Task InitializeAsync()
    {
        await connection.OpenAsync();
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddDbContext<OutboxOnlyDbContext>(db => db.UseSqlite(connection));
        collection.AddSingleton<TimeProvider>(clock);
        collection.AddSingleton(bus);
        collection.AddSingleton<OutboxSignal>();
        collection.Configure<OutboxOptions>(options => options.MaxBackoff = TimeSpan.FromSeconds(30));
        collection.AddSingleton<IOutboxPayloadErasure, PersonalDataOutboxErasure>();
        collection.AddSingleton<OutboxDispatcher<OutboxOnlyDbContext>>();
        services = collection.BuildServiceProvider();
        await WithDbAsync(db => db.Database.EnsureCreatedAsync());
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await connection.DisposeAsync();
    }

    [Theory]
    [InlineData(1, 0.5)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 4)]
    [InlineData(5, 8)]
    [InlineData(6, 16)]
    [InlineData(7, 30)]
    [InlineData(8, 30)]
    [InlineData(1000, 30)]
    public void The_wait_after_a_failed_publish_doubles_from_half_a_second_up_to_the_longest_wait(int failedAttempts, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), new OutboxOptions { MaxBackoff = TimeSpan.FromSeconds(30) }.BackoffAfter(failedAttempts));

    [Fact]
    public async Task A_row_whose_publish_fails_is_not_tried_again_before_its_next_attempt_time()
    {
        var dispatcher = services.GetRequiredService<OutboxDispatcher<OutboxOnlyDbContext>>();
        var id = await QueueAsync(new CaseOpened { TenantId = "caritas", CaseKey = "k1", AgeBand = "30-39", ResidenceCategory = "Unknown", AccessRoute = "Unknown", OccurredAt = clock.GetUtcNow().UtcDateTime });
        Bus.Fails = true;
        var start = clock.GetUtcNow().UtcDateTime;

        // Each failure waits twice as long as the one before: 0.5 s, 1 s, 2 s, 4 s.
        var elapsed = TimeSpan.Zero;
        foreach (var (attempt, wait) in new[] { (1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0) })
        {
            Assert.Equal(1, await dispatcher.DispatchBatchAsync(CancellationToken.None));
            var row = await RowAsync(id);
            Assert.Equal(attempt, row.Attempts);
            Assert.Equal(start + elapsed + TimeSpan.FromSeconds(wait), row.NextAttemptAt);

            clock.Advance(TimeSpan.FromSeconds(wait) - TimeSpan.FromMilliseconds(1));
            Assert.Equal(0, await dispatcher.DispatchBatchAsync(CancellationToken.None));
            Assert.Equal(attempt, (await RowAsync(id)).Attempts);
            clock.Advance(TimeSpan.FromMilliseconds(1));
            elapsed += TimeSpan.FromSeconds(wait);
        }

        // Once the broker takes it again, the row is sent at its next attempt time and never tried again.
        Bus.Fails = false;
        Assert.Equal(1, await dispatcher.DispatchBatchAsync(CancellationToken.None));
        var sent = await RowAsync(id);
        Assert.Equal(clock.GetUtcNow().UtcDateTime, sent.SentAt);
        Assert.Null(sent.LastError);
        Assert.Equal(0, await dispatcher.DispatchBatchAsync(CancellationToken.None));
        Assert.Single(Bus.Published);
    }

    [Fact]
    public async Task Only_a_message_with_personal_data_loses_its_payload_and_only_once_the_broker_has_it()
    {
        var dispatcher = services.GetRequiredService<OutboxDispatcher<OutboxOnlyDbContext>>();
        var identity = await QueueAsync(new ReferralIdentityShared
        {
            ReferralId = Guid.NewGuid(),
            GivenName = "Amira",
            FamilyName = "Haddad",
            BirthDate = new DateOnly(1991, 4, 12),
            SourceTenantId = "kommune",
            TargetTenantId = "caritas",
            OccurredAt = clock.GetUtcNow().UtcDateTime,
        });
        var status = await QueueAsync(new ReferralStatusChanged
        {
            TenantId = "kommune",
            CaseKey = "k2",
            ReferralId = Guid.NewGuid(),
            Status = Kim.Contracts.ReferralStatus.Accepted,
            OccurredAt = clock.GetUtcNow().UtcDateTime,
        });

        Bus.Fails = true;
        await dispatcher.DispatchBatchAsync(CancellationToken.None);
        Assert.Contains("Haddad", (await RowAsync(identity)).Payload, StringComparison.Ordinal);

        Bus.Fails = false;
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(2, await dispatcher.DispatchBatchAsync(CancellationToken.None));
        Assert.Equal("", (await RowAsync(identity)).Payload);
        Assert.Contains("k2", (await RowAsync(status)).Payload, StringComparison.Ordinal);
        Assert.Contains(Bus.Published, m => m is ReferralIdentityShared { FamilyName: "Haddad" });
    }

    private async Task<Guid> QueueAsync(object message)
    {
        await WithDbAsync(db =>
        {
            if (message is Kim.Contracts.IntegrationEvent integrationEvent)
            {
                db.AddIntegrationEvent(integrationEvent, clock.GetUtcNow().UtcDateTime);
            }
            else
            {
                // Published rather than sent to the tenant's exchange: this bus takes publishes only.
                db.AddTenantMessage((TenantMessage)message, clock.GetUtcNow().UtcDateTime);
                db.ChangeTracker.Entries<OutboxMessage>().Single().Entity.Destination = null;
            }

            return db.SaveChangesAsync();
        });
        return message switch
        {
            Kim.Contracts.IntegrationEvent e => e.MessageId,
            TenantMessage m => m.MessageId,
            _ => throw new ArgumentException("not a message", nameof(message)),
        };
    }

    private Task<OutboxMessage> RowAsync(Guid id) => WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id));

    private async Task<T> WithDbAsync<T>(Func<OutboxOnlyDbContext, Task<T>> work)
    {
        await using var scope = services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<OutboxOnlyDbContext>());
    }
}
