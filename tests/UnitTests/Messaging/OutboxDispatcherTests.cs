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

/// <summary>
/// A bus that takes every publish, fails it (as a broker that is down would), fails the messages <see cref="Unroutable"/>
/// names, or holds each publish until the test confirms it (<see cref="Confirm"/>).
/// </summary>
public class ScriptedBus : DispatchProxy
{
    private readonly List<object> published = [];

    public bool Fails { get; set; }

    /// <summary>Messages the broker returns as unroutable.</summary>
    public Func<object, bool> Unroutable { get; set; } = _ => false;

    /// <summary>When set, a publish completes only once the test calls <see cref="Confirm"/>; the pending ones are in <see cref="Pending"/>.</summary>
    public bool HoldsConfirms { get; set; }

    public System.Collections.Concurrent.ConcurrentQueue<TaskCompletionSource> Pending { get; } = new();

    public IReadOnlyList<object> Published
    {
        get
        {
            lock (published)
            {
                return [.. published];
            }
        }
    }

    /// <summary>Confirms the oldest held publish.</summary>
    public void Confirm()
    {
        Assert.True(Pending.TryDequeue(out var publish), "no publish is waiting for its confirm");
        publish.SetResult();
    }

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

        if (Unroutable(args![0]!))
        {
            return Task.FromException(new InvalidOperationException("312 NO_ROUTE"));
        }

        lock (published)
        {
            published.Add(args[0]!);
        }

        if (!HoldsConfirms)
        {
            return Task.CompletedTask;
        }

        var confirm = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Pending.Enqueue(confirm);
        return confirm.Task;
    }
}

/// <summary>Counts the statements a DbContext sends that change the outbox table.</summary>
public sealed class OutboxUpdateCounter : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
{
    private int updates;

    public int Updates => Volatile.Read(ref updates);

    public void Reset() => Interlocked.Exchange(ref updates, 0);

    public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int>> NonQueryExecutingAsync(
        System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
        Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Count(command);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
        System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
        Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Count(command);
        return ValueTask.FromResult(result);
    }

    private void Count(System.Data.Common.DbCommand command)
    {
        // A saved batch of several rows is one command; each UPDATE statement in it counts.
        var statements = command.CommandText.Split(';').Count(statement =>
            statement.TrimStart().StartsWith("UPDATE \"OutboxMessages\"", StringComparison.Ordinal));
        Interlocked.Add(ref updates, statements);
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
    private readonly OutboxUpdateCounter statements = new();
    private readonly OutboxOptions outboxOptions = new() { MaxBackoff = TimeSpan.FromSeconds(30) };
    private ServiceProvider services = null!;

    private ScriptedBus Bus => (ScriptedBus)(object)bus;

    public async Task InitializeAsync()
    {
        await connection.OpenAsync();
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddDbContext<OutboxOnlyDbContext>(db => db.UseSqlite(connection).AddInterceptors(statements));
        collection.AddSingleton<TimeProvider>(clock);
        collection.AddSingleton(bus);
        collection.AddSingleton<OutboxSignal>();
        collection.AddSingleton(Microsoft.Extensions.Options.Options.Create(outboxOptions));
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

    [Fact]
    public async Task A_batch_is_marked_sent_with_one_statement_that_also_empties_the_personal_data_it_confirmed()
    {
        var dispatcher = services.GetRequiredService<OutboxDispatcher<OutboxOnlyDbContext>>();
        var cases = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            cases.Add(await QueueAsync(NewCase($"k{i}")));
        }

        var identity = await QueueAsync(NewIdentity());
        statements.Reset();

        Assert.Equal(6, await dispatcher.DispatchBatchAsync(CancellationToken.None));

        Assert.Equal(1, statements.Updates);
        Assert.Equal(6, Bus.Published.Count);
        foreach (var id in cases)
        {
            var row = await RowAsync(id);
            Assert.Equal(clock.GetUtcNow().UtcDateTime, row.SentAt);
            Assert.Contains("caritas", row.Payload, StringComparison.Ordinal);
        }

        var erased = await RowAsync(identity);
        Assert.NotNull(erased.SentAt);
        Assert.Equal("", erased.Payload);
    }

    [Fact]
    public async Task A_row_the_broker_returns_stays_queued_with_its_attempt_while_the_rest_of_its_batch_is_marked_sent()
    {
        var dispatcher = services.GetRequiredService<OutboxDispatcher<OutboxOnlyDbContext>>();
        var first = await QueueAsync(NewCase("k1"));
        var returned = await QueueAsync(NewCase("unroutable"));
        var identity = await QueueAsync(NewIdentity());
        var last = await QueueAsync(NewCase("k3"));
        Bus.Unroutable = message => message is CaseOpened { CaseKey: "unroutable" };
        statements.Reset();

        Assert.Equal(4, await dispatcher.DispatchBatchAsync(CancellationToken.None));

        // One statement marks the three confirmed rows, one more saves the failed row's attempt.
        Assert.Equal(2, statements.Updates);
        foreach (var id in new[] { first, identity, last })
        {
            Assert.NotNull((await RowAsync(id)).SentAt);
        }

        Assert.Equal("", (await RowAsync(identity)).Payload);
        var failed = await RowAsync(returned);
        Assert.Null(failed.SentAt);
        Assert.Equal(1, failed.Attempts);
        Assert.Contains("NO_ROUTE", failed.LastError, StringComparison.Ordinal);
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddSeconds(0.5), failed.NextAttemptAt);
        Assert.Contains("unroutable", failed.Payload, StringComparison.Ordinal);

        // Once a queue is bound, only the returned row goes again.
        Bus.Unroutable = _ => false;
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await dispatcher.DispatchBatchAsync(CancellationToken.None));
        Assert.NotNull((await RowAsync(returned)).SentAt);
        Assert.Equal(4, Bus.Published.Count);
    }

    [Fact]
    public async Task A_batch_keeps_up_to_the_configured_number_of_publishes_waiting_for_their_confirm_and_marks_none_before_all_are_done()
    {
        outboxOptions.MaxInFlight = 3;
        var dispatcher = services.GetRequiredService<OutboxDispatcher<OutboxOnlyDbContext>>();
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await QueueAsync(NewCase($"k{i}")));
            clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        Bus.HoldsConfirms = true;
        var batch = dispatcher.DispatchBatchAsync(CancellationToken.None);

        // Three publishes wait for their confirm at once; the fourth starts only when one is confirmed.
        await WaitForAsync(() => Bus.Pending.Count == 3);
        Assert.Equal(3, Bus.Published.Count);
        Bus.Confirm();
        await WaitForAsync(() => Bus.Published.Count == 4);
        Bus.Confirm();
        Bus.Confirm();
        await WaitForAsync(() => Bus.Published.Count == 5);
        Assert.All(await Task.WhenAll(ids.Select(RowAsync)), row => Assert.Null(row.SentAt));
        Bus.Confirm();
        Bus.Confirm();

        Assert.Equal(5, await batch);
        Assert.All(await Task.WhenAll(ids.Select(RowAsync)), row => Assert.NotNull(row.SentAt));
        Assert.Equal(ids, Bus.Published.Cast<CaseOpened>().Select(m => m.MessageId));
    }

    [Fact]
    public async Task A_sweep_with_nothing_due_changes_nothing()
    {
        var dispatcher = services.GetRequiredService<OutboxDispatcher<OutboxOnlyDbContext>>();
        statements.Reset();

        Assert.Equal(0, await dispatcher.DispatchBatchAsync(CancellationToken.None));

        Assert.Equal(0, statements.Updates);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        // Publishes continue on the thread pool; this waits for them without timing anything.
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    private CaseOpened NewCase(string caseKey) => new()
    {
        TenantId = "caritas",
        CaseKey = caseKey,
        AgeBand = "30-39",
        ResidenceCategory = "Unknown",
        AccessRoute = "Unknown",
        OccurredAt = clock.GetUtcNow().UtcDateTime,
    };

    private ReferralIdentityShared NewIdentity() => new()
    {
        ReferralId = Guid.NewGuid(),
        GivenName = "Amira",
        FamilyName = "Haddad",
        BirthDate = new DateOnly(1991, 4, 12),
        SourceTenantId = "kommune",
        TargetTenantId = "caritas",
        OccurredAt = clock.GetUtcNow().UtcDateTime,
    };

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
