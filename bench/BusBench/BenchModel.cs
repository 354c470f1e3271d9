using Kim.Contracts.Cases;
using Kim.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Kim.BusBench;

/// <summary>A database with only the outbox and inbox tables, as every service has them.</summary>
public sealed class BenchDbContext(DbContextOptions<BenchDbContext> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.ApplyMessagingModel();
}

/// <summary>Counts consumed messages and completes when the expected number arrived.</summary>
public sealed class Received
{
    private long count;
    private long expected = long.MaxValue;
    private TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Expect(long messages)
    {
        done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref count, 0);
        Interlocked.Exchange(ref expected, messages);
        return done.Task;
    }

    public void Add()
    {
        if (Interlocked.Increment(ref count) == Interlocked.Read(ref expected))
        {
            done.TrySetResult();
        }
    }
}

/// <summary>A consumer that does nothing but count, so the bus itself is measured.</summary>
public sealed class CaseOpenedCounter(Received received) : IConsumer<CaseOpened>
{
    public Task Consume(ConsumeContext<CaseOpened> context)
    {
        received.Add();
        return Task.CompletedTask;
    }
}
