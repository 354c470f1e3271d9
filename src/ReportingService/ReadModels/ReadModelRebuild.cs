using Kim.Contracts;
using Kim.ReportingService.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kim.ReportingService.ReadModels;

/// <summary>The read model's one row of state: the generation reports read, and a rebuild under way.</summary>
public sealed class ReadModelState
{
    /// <summary>Raised whenever <see cref="CaseFigures"/> changes what it counts: a process with another version rebuilds at start.</summary>
    public const int CurrentVersion = 1;

    public int Id { get; init; } = 1;

    /// <summary>The <see cref="CurrentVersion"/> the active generation was built with.</summary>
    public int Version { get; set; }

    public int ActiveGeneration { get; set; }

    /// <summary>The generation a rebuild is writing; null when none is under way.</summary>
    public int? RebuildGeneration { get; set; }

    /// <summary>The rebuild replays events received before this moment; later ones are applied at the swap.</summary>
    public DateTime? RebuildWatermark { get; set; }

    /// <summary>The last case replayed (tenant, case key): a rebuild that was interrupted resumes after it.</summary>
    public string? CursorTenant { get; set; }

    public string? CursorCaseKey { get; set; }

    public bool RebuildEventsDone { get; set; }

    public long RebuildReplayed { get; set; }

    public DateTime? LastRebuiltAt { get; set; }

    public static async Task<ReadModelState> GetAsync(ReportingDbContext db, CancellationToken cancellationToken)
    {
        if (await db.ReadModelStates.FindAsync([1], cancellationToken) is { } state)
        {
            return state;
        }

        // A database without history has nothing to rebuild; one with history (from before the read model) has.
        var empty = !await db.StoredEvents.AnyAsync(cancellationToken);
        state = new ReadModelState { Version = empty ? CurrentVersion : 0 };
        db.ReadModelStates.Add(state);
        return state;
    }
}

public sealed record RebuildProgress(long ReplayedEvents, int Generation);

/// <summary>Section <c>Reporting:ReadModel</c>.</summary>
public sealed class ReadModelOptions
{
    /// <summary>Stored events a rebuild reads per batch (one short transaction each).</summary>
    public int RebuildBatchSize { get; set; } = 20_000;

    /// <summary>Events a rebuild replays between two writes of its counters and cursor (what an interruption may cost).</summary>
    public long RebuildFlushEvery { get; set; } = 500_000;
}

/// <summary>
/// Builds the read model anew from the event store, into the next generation, while ingestion goes on into the active
/// one: events received before a watermark (taken inside the <see cref="IngestGate"/>, so every event received before it
/// is committed and every later one is received after it) are replayed case by case in batches, the counters written
/// with the cursor in short transactions, so an interrupted rebuild resumes; then, inside the <see cref="IngestGate"/>, the cases and
/// events received since are brought up to date, the new generation becomes the active one and the old is deleted.
/// </summary>
public sealed class ReadModelRebuild(
    IServiceScopeFactory scopes, IngestGate gate, TimeProvider clock, IOptions<ReadModelOptions> options, ILogger<ReadModelRebuild> logger)
{
    private readonly SemaphoreSlim single = new(1, 1);

    private int BatchSize => Math.Max(1, options.Value.RebuildBatchSize);

    private long FlushEvery => Math.Max(1, options.Value.RebuildFlushEvery);

    /// <summary>Rebuilds (or resumes an interrupted rebuild); one at a time per process.</summary>
    public async Task<RebuildProgress> RunAsync(CancellationToken cancellationToken)
    {
        await single.WaitAsync(cancellationToken);
        try
        {
            return await RebuildAsync(cancellationToken);
        }
        finally
        {
            single.Release();
        }
    }

    /// <summary>At start: rebuilds when the active generation was built by another version of the figures or a rebuild was interrupted.</summary>
    public async Task<bool> IsNeededAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReportingDbContext>();
        var state = await ReadModelState.GetAsync(db, cancellationToken);
        return state.Version != ReadModelState.CurrentVersion || state.RebuildGeneration is not null;
    }

    private async Task<RebuildProgress> RebuildAsync(CancellationToken cancellationToken)
    {
        int target;
        DateTime watermark;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ReportingDbContext>();
            var state = await ReadModelState.GetAsync(db, cancellationToken);
            if (state.RebuildGeneration is null)
            {
                using (await gate.EnterAsync(cancellationToken))
                {
                    state.RebuildWatermark = clock.GetUtcNow().UtcDateTime;
                }

                state.RebuildGeneration = state.ActiveGeneration + 1;
                (state.CursorTenant, state.CursorCaseKey, state.RebuildEventsDone, state.RebuildReplayed) = (null, null, false, 0);
                await db.ReportCounters.Where(c => c.Generation == state.RebuildGeneration).ExecuteDeleteAsync(cancellationToken);
                await db.OpenReferrals.Where(c => c.Generation == state.RebuildGeneration).ExecuteDeleteAsync(cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
            }
            else
            {
                logger.LogInformation("Resuming the read model's rebuild after {Replayed} events", state.RebuildReplayed);
            }

            (target, watermark) = (state.RebuildGeneration.Value, state.RebuildWatermark!.Value);
        }

        await ReplayEventsAsync(target, watermark, cancellationToken);
        await ReplayCasesAsync(target, watermark, cancellationToken);

        return await SwapAsync(target, watermark, cancellationToken);
    }

    /// <summary>The events of no case (few), in one transaction.</summary>
    private async Task ReplayEventsAsync(int target, DateTime watermark, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReportingDbContext>();
        var state = await ReadModelState.GetAsync(db, cancellationToken);
        if (state.RebuildEventsDone)
        {
            return;
        }

        var figures = new Contributions();
        var replayed = 0;
        await foreach (var stored in db.StoredEvents.AsNoTracking().Where(e => e.CaseKey == null && e.ReceivedAt < watermark)
            .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (ReadModelStore.Deserialize(stored) is { } integrationEvent)
            {
                figures.Add(CaseFigures.OfEvent(integrationEvent));
                replayed++;
            }
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ReadModelStore.AddAsync(db, target, figures.Counters, cancellationToken);
        state.RebuildEventsDone = true;
        state.RebuildReplayed += replayed;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Replays the cases after the cursor, tenant by tenant, in batches read along the store's (tenant, case key) index.
    /// The counters add up in memory and are written with the cursor every <see cref="FlushEvery"/> events, in one short
    /// transaction: an interrupted rebuild resumes from the last one.
    /// </summary>
    private async Task ReplayCasesAsync(int target, DateTime watermark, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReportingDbContext>();
        var state = await ReadModelState.GetAsync(db, cancellationToken);
        var tenants = await db.StoredEvents.AsNoTracking().Where(e => e.CaseKey != null && e.TenantId != null).Select(e => e.TenantId!).Distinct()
            .ToListAsync(cancellationToken);
        var pending = new Contributions();
        var pendingEvents = 0L;
        var (lastTenant, lastCaseKey) = (state.CursorTenant, state.CursorCaseKey);
        foreach (var tenant in tenants.Order(StringComparer.Ordinal).Where(t => state.CursorTenant is null || string.CompareOrdinal(t, state.CursorTenant) >= 0))
        {
            var after = tenant == state.CursorTenant ? state.CursorCaseKey ?? "" : "";
            while (true)
            {
                var rows = await db.StoredEvents.AsNoTracking()
                    .Where(e => e.TenantId == tenant && e.CaseKey != null && string.Compare(e.CaseKey, after) > 0 && e.ReceivedAt < watermark)
                    .OrderBy(e => e.CaseKey)
                    .Take(BatchSize)
                    .ToListAsync(cancellationToken);
                if (rows.Count == 0)
                {
                    break;
                }

                var cases = rows.GroupBy(r => r.CaseKey!).ToList();
                if (rows.Count == BatchSize && cases.Count > 1)
                {
                    // The last case may go on beyond the batch: it starts the next one.
                    cases.RemoveAt(cases.Count - 1);
                }
                else if (rows.Count == BatchSize)
                {
                    // One case with more events than a batch: read it whole.
                    var only = cases[0].Key;
                    cases = [.. (await db.StoredEvents.AsNoTracking().Where(e => e.TenantId == tenant && e.CaseKey == only && e.ReceivedAt < watermark)
                        .ToListAsync(cancellationToken)).GroupBy(r => r.CaseKey!)];
                }

                foreach (var events in cases)
                {
                    var caseEvents = events.Select(ReadModelStore.Deserialize).OfType<CaseIntegrationEvent>().ToList();
                    pending.Add(CaseFigures.Of(caseEvents));
                    pendingEvents += caseEvents.Count;
                }

                after = cases[^1].Key;
                (lastTenant, lastCaseKey) = (tenant, after);
                if (pendingEvents >= FlushEvery)
                {
                    await FlushAsync(db, state, target, pending, pendingEvents, tenant, after, cancellationToken);
                    (pending, pendingEvents) = (new Contributions(), 0);
                }
            }
        }

        // The cursor ends at the last case: a rebuild interrupted before its swap does not replay anything twice.
        await FlushAsync(db, state, target, pending, pendingEvents, lastTenant, lastCaseKey, cancellationToken);
    }

    private async Task FlushAsync(
        ReportingDbContext db, ReadModelState state, int target, Contributions pending, long replayed, string? tenant, string? caseKey, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The generation's counters are few (thousands): read them once rather than one by one.
        var stored = (await db.ReportCounters.Where(c => c.Generation == target).ToListAsync(cancellationToken))
            .ToDictionary(c => new CounterKey(c.Report, c.Dimension, c.Month, c.Bucket));
        foreach (var (key, delta) in pending.Counters)
        {
            if (stored.TryGetValue(key, out var row))
            {
                row.Count += delta;
            }
            else
            {
                db.ReportCounters.Add(new ReportCounter { Generation = target, Report = key.Report, Dimension = key.Dimension, Month = key.Month, Bucket = key.Bucket, Count = delta });
            }
        }

        db.OpenReferrals.AddRange(pending.OpenReferrals.Select(o => o.In(target)));
        (state.CursorTenant, state.CursorCaseKey) = (tenant, caseKey);
        state.RebuildReplayed += replayed;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        db.Attach(state);
        logger.LogInformation("Read model rebuild: {Replayed} events replayed", state.RebuildReplayed);
    }

    /// <summary>Brings what arrived since the watermark into the new generation and makes it the active one; ingestion waits meanwhile.</summary>
    private async Task<RebuildProgress> SwapAsync(int target, DateTime watermark, CancellationToken cancellationToken)
    {
        using var entered = await gate.EnterAsync(cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReportingDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var state = await ReadModelState.GetAsync(db, cancellationToken);
        var recent = await db.StoredEvents.AsNoTracking().Where(e => e.ReceivedAt >= watermark).ToListAsync(cancellationToken);
        var replayed = 0L;
        foreach (var other in recent.Where(e => e.CaseKey is null))
        {
            if (ReadModelStore.Deserialize(other) is { } integrationEvent)
            {
                await ReadModelStore.AddAsync(db, target, CaseFigures.OfEvent(integrationEvent).Counters, cancellationToken);
                replayed++;
            }
        }

        foreach (var (tenant, caseKey) in recent.Where(e => e.CaseKey is not null && e.TenantId is not null).Select(e => (e.TenantId!, e.CaseKey!)).Distinct())
        {
            var rows = await db.StoredEvents.AsNoTracking().Where(e => e.TenantId == tenant && e.CaseKey == caseKey).ToListAsync(cancellationToken);
            var replayedBefore = rows.Where(r => r.ReceivedAt < watermark).Select(ReadModelStore.Deserialize).OfType<CaseIntegrationEvent>().ToList();
            var all = rows.Select(ReadModelStore.Deserialize).OfType<CaseIntegrationEvent>().ToList();
            var now = CaseFigures.Of(all);
            await ReadModelStore.AddAsync(db, target, Contributions.Change(CaseFigures.Of(replayedBefore), now), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await ReadModelStore.ReplaceOpenReferralsAsync(db, target, tenant, caseKey, now.OpenReferrals, cancellationToken);
            replayed += all.Count - replayedBefore.Count;
        }

        var old = state.ActiveGeneration;
        state.ActiveGeneration = target;
        state.Version = ReadModelState.CurrentVersion;
        state.RebuildGeneration = null;
        state.RebuildWatermark = null;
        state.RebuildReplayed += replayed;
        state.LastRebuiltAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        await db.ReportCounters.Where(c => c.Generation == old).ExecuteDeleteAsync(cancellationToken);
        await db.OpenReferrals.Where(c => c.Generation == old).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Read model rebuilt: generation {Generation} from {Replayed} events", target, state.RebuildReplayed);
        return new RebuildProgress(state.RebuildReplayed, target);
    }
}

/// <summary>Rebuilds the read model at start when it was built by another version of the figures or a rebuild was interrupted.</summary>
public sealed class ReadModelStartup(ReadModelRebuild rebuild, ILogger<ReadModelStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (await rebuild.IsNeededAsync(stoppingToken))
            {
                logger.LogInformation("The read model is out of date; rebuilding it from the event store");
                await rebuild.RunAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
