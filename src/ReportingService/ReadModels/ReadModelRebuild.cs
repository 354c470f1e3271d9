using Kim.Contracts;
using Kim.ReportingService.EventStore;
using Kim.ReportingService.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kim.ReportingService.ReadModels;

/// <summary>The read model's one row of state: the generation reports read, and a rebuild under way.</summary>
public sealed class ReadModelState
{
    /// <summary>Raised whenever <see cref="CaseFigures"/> changes what it counts: a process with another version rebuilds at start.</summary>
    public const int CurrentVersion = 2;

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

    /// <summary>The <see cref="CurrentVersion"/> the rebuild under way counts with; another version's partial rebuild starts over.</summary>
    public int? RebuildVersion { get; set; }

    public bool RebuildEventsDone { get; set; }

    /// <summary>Every case before the watermark is replayed; what remains is the catch-up since then.</summary>
    public bool RebuildCasesDone { get; set; }

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
    /// <summary>Events left for the round inside the gate: below this, ingestion waits only briefly.</summary>
    private const int FinalRound = 2_000;

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
            if (state.RebuildGeneration is not null && state.RebuildVersion != ReadModelState.CurrentVersion)
            {
                // Counted with other figures: what it built so far cannot be mixed with this version's.
                logger.LogInformation("A rebuild of another version of the figures was interrupted; starting over");
                state.RebuildGeneration = null;
            }

            if (state.RebuildGeneration is null)
            {
                using (await gate.EnterAsync(cancellationToken))
                {
                    state.RebuildWatermark = clock.GetUtcNow().UtcDateTime;
                }

                state.RebuildGeneration = state.ActiveGeneration + 1;
                state.RebuildVersion = ReadModelState.CurrentVersion;
                (state.CursorTenant, state.CursorCaseKey, state.RebuildEventsDone, state.RebuildCasesDone, state.RebuildReplayed) = (null, null, false, false, 0);
                // Every generation but the active one goes: a partial rebuild's, and the one before the last swap (kept
                // until now for reports that read it while the swap happened).
                var active = state.ActiveGeneration;
                await db.ReportCounters.Where(c => c.Generation != active).ExecuteDeleteAsync(cancellationToken);
                await db.OpenReferrals.Where(c => c.Generation != active).ExecuteDeleteAsync(cancellationToken);
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
        await RecomputeTenantActivityAsync(cancellationToken);
        return await SwapAsync(target, cancellationToken);
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
        if (state.RebuildCasesDone)
        {
            return;
        }

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

        // Done: a rebuild interrupted after this goes on with the catch-up and replays no case twice.
        state.RebuildCasesDone = true;
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

    /// <summary>
    /// Brings what arrived since the watermark into the new generation, in rounds outside the <see cref="IngestGate"/>
    /// while much arrives; then, inside it, the last few events, and makes the new generation the active one.
    /// Ingestion waits only for that last round.
    /// </summary>
    private async Task<RebuildProgress> SwapAsync(int target, CancellationToken cancellationToken)
    {
        while (true)
        {
            DateTime next;
            using (await gate.EnterAsync(cancellationToken))
            {
                next = clock.GetUtcNow().UtcDateTime;
            }

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ReportingDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var state = await ReadModelState.GetAsync(db, cancellationToken);
            var caughtUp = await CatchUpAsync(db, state, target, next, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (caughtUp <= FinalRound)
            {
                break;
            }
        }

        using var entered = await gate.EnterAsync(cancellationToken);
        await using var finalScope = scopes.CreateAsyncScope();
        var final = finalScope.ServiceProvider.GetRequiredService<ReportingDbContext>();
        await using var finalTransaction = await final.Database.BeginTransactionAsync(cancellationToken);
        var finalState = await ReadModelState.GetAsync(final, cancellationToken);
        await CatchUpAsync(final, finalState, target, upTo: null, cancellationToken);
        finalState.ActiveGeneration = target;
        finalState.Version = ReadModelState.CurrentVersion;
        (finalState.RebuildGeneration, finalState.RebuildVersion, finalState.RebuildWatermark) = (null, null, null);
        finalState.LastRebuiltAt = clock.GetUtcNow().UtcDateTime;
        await final.SaveChangesAsync(cancellationToken);
        await finalTransaction.CommitAsync(cancellationToken);
        logger.LogInformation("Read model rebuilt: generation {Generation} from {Replayed} events", target, finalState.RebuildReplayed);
        return new RebuildProgress(finalState.RebuildReplayed, target);
    }

    /// <summary>
    /// Adds the events received from the watermark up to <paramref name="upTo"/> (all, when null) to the new generation:
    /// each touched case by its figures up to then minus its figures before the watermark (what the generation holds of
    /// it); then moves the watermark. Returns how many events it added.
    /// </summary>
    private static async Task<int> CatchUpAsync(ReportingDbContext db, ReadModelState state, int target, DateTime? upTo, CancellationToken cancellationToken)
    {
        var from = state.RebuildWatermark!.Value;
        bool Included(StoredEvent e) => upTo is null || e.ReceivedAt < upTo;
        var recent = await db.StoredEvents.AsNoTracking().Where(e => e.ReceivedAt >= from && (upTo == null || e.ReceivedAt < upTo))
            .ToListAsync(cancellationToken);
        foreach (var other in recent.Where(e => e.CaseKey is null))
        {
            if (ReadModelStore.Deserialize(other) is { } integrationEvent)
            {
                await ReadModelStore.AddAsync(db, target, CaseFigures.OfEvent(integrationEvent).Counters, cancellationToken);
            }
        }

        foreach (var (tenant, caseKey) in recent.Where(e => e.CaseKey is not null && e.TenantId is not null).Select(e => (e.TenantId!, e.CaseKey!)).Distinct())
        {
            var rows = await db.StoredEvents.AsNoTracking().Where(e => e.TenantId == tenant && e.CaseKey == caseKey).ToListAsync(cancellationToken);
            var before = CaseFigures.Of(rows.Where(r => r.ReceivedAt < from).Select(ReadModelStore.Deserialize).OfType<CaseIntegrationEvent>());
            var now = CaseFigures.Of(rows.Where(Included).Select(ReadModelStore.Deserialize).OfType<CaseIntegrationEvent>());
            await ReadModelStore.AddAsync(db, target, Contributions.Change(before, now), cancellationToken);
            await ReadModelStore.ReplaceOpenReferralsAsync(db, target, tenant, caseKey, now.OpenReferrals, cancellationToken);
        }

        state.RebuildWatermark = upTo ?? from;
        state.RebuildReplayed += recent.Count;
        return recent.Count;
    }

    /// <summary>When each tenant's events last arrived, from the store (the latest wins, so live ingestion may go on).</summary>
    private async Task RecomputeTenantActivityAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReportingDbContext>();
        var latest = await db.StoredEvents.AsNoTracking().Where(e => e.TenantId != null).GroupBy(e => e.TenantId!)
            .Select(g => new { Tenant = g.Key, At = g.Max(e => e.ReceivedAt) }).ToListAsync(cancellationToken);
        using (await gate.EnterAsync(cancellationToken))
        {
            foreach (var tenant in latest)
            {
                await ReadModelStore.TouchTenantAsync(db, tenant.Tenant, tenant.At, cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
        }
    }
}

/// <summary>
/// Rebuilds the read model at start when it was built by another version of the figures or a rebuild was interrupted;
/// a failed attempt is logged and tried again later (it resumes), and never stops the service.
/// </summary>
public sealed class ReadModelStartup(ReadModelRebuild rebuild, ILogger<ReadModelStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 0; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                if (await rebuild.IsNeededAsync(stoppingToken))
                {
                    logger.LogInformation("The read model is out of date; rebuilding it from the event store");
                    await rebuild.RunAsync(stoppingToken);
                }

                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogError(exception, "The read model's rebuild failed; trying again");
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(300, 5 * Math.Pow(2, Math.Min(attempt, 6)))), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
