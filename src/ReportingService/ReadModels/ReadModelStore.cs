using System.Text.Json;
using Kim.Contracts;
using Kim.ReportingService.EventStore;
using Kim.ReportingService.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kim.ReportingService.ReadModels;

/// <summary>A stored counter of the read model (see <see cref="CounterKey"/>).</summary>
public sealed class ReportCounter
{
    /// <summary>Which build of the read model the row belongs to: reports read the active one, a rebuild writes the next.</summary>
    public int Generation { get; init; }

    public required string Report { get; init; }

    public required string Dimension { get; init; }

    public required string Month { get; init; }

    public int Bucket { get; init; }

    public long Count { get; set; }
}

/// <summary>When a tenant's events last arrived (the tenants active in the last 30 days).</summary>
public sealed class TenantActivity
{
    public required string TenantId { get; init; }

    public DateTime LastReceivedAt { get; set; }
}

/// <summary>
/// The read model the reports read: counters updated as each event is consumed, inside the inbox transaction, so a
/// report costs what its answer holds, not what the history holds. The event store stays the source of truth
/// (<see cref="ReadModelRebuild"/>).
/// </summary>
public static class ReadModelStore
{
    /// <summary>
    /// Applies one consumed event. A case event changes the counters by the case's figures with the event minus its
    /// figures without it (<see cref="CaseFigures"/>), so arrival order and redelivery do not matter. Runs inside the
    /// consumer's transaction; the ingestion gate (<see cref="IngestGate"/>) keeps one writer at a time, so the case's
    /// events read here are all that were committed.
    /// </summary>
    public static async Task ApplyAsync(ReportingDbContext db, IntegrationEvent integrationEvent, DateTime receivedAt, CancellationToken cancellationToken)
    {
        var generation = (await ReadModelState.GetAsync(db, cancellationToken)).ActiveGeneration;
        if (integrationEvent is TenantIntegrationEvent { TenantId: var tenant })
        {
            await TouchTenantAsync(db, tenant, receivedAt, cancellationToken);
        }

        if (integrationEvent is not CaseIntegrationEvent caseEvent || StoredEvents.CaseKeyOf(integrationEvent) is null)
        {
            // Not a case event, or one without its case (malformed): the store keeps it as no case's, and so does the rebuild.
            await AddAsync(db, generation, CaseFigures.OfEvent(integrationEvent).Counters, cancellationToken);
            return;
        }

        var before = await CaseEventsAsync(db, caseEvent.TenantId, caseEvent.CaseKey, cancellationToken);
        if (before.Any(e => e.MessageId == caseEvent.MessageId))
        {
            return;
        }

        var old = CaseFigures.Of(before);
        var now = CaseFigures.Of([.. before, caseEvent]);
        await AddAsync(db, generation, Contributions.Change(old, now), cancellationToken);
        await ReplaceOpenReferralsAsync(db, generation, caseEvent.TenantId, caseEvent.CaseKey, now.OpenReferrals, cancellationToken);
    }

    /// <summary>The stored events of one case.</summary>
    public static async Task<List<CaseIntegrationEvent>> CaseEventsAsync(ReportingDbContext db, string tenant, string caseKey, CancellationToken cancellationToken)
    {
        var rows = await db.StoredEvents.AsNoTracking().Where(e => e.TenantId == tenant && e.CaseKey == caseKey).ToListAsync(cancellationToken);
        return [.. rows.Select(Deserialize).OfType<CaseIntegrationEvent>()];
    }

    /// <summary>The stored event as its contract record; null for a type or payload this version cannot read (the row stays).</summary>
    public static IntegrationEvent? Deserialize(StoredEvent stored)
    {
        try
        {
            return StoredEvents.TypeByName.TryGetValue(stored.EventType, out var type)
                ? JsonSerializer.Deserialize(stored.Payload, type, StoredEvents.PayloadOptions) as IntegrationEvent
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Adds <paramref name="change"/> to the stored counters; a counter that reaches 0 is removed.</summary>
    public static async Task AddAsync(ReportingDbContext db, int generation, IReadOnlyDictionary<CounterKey, long> change, CancellationToken cancellationToken)
    {
        foreach (var (key, delta) in change)
        {
            if (delta == 0)
            {
                continue;
            }

            var row = await db.ReportCounters.FindAsync([generation, key.Report, key.Dimension, key.Month, key.Bucket], cancellationToken);
            // A counter removed at 0 earlier in this unit of work (another case left it) is still tracked, as deleted.
            var deleted = row is not null && db.Entry(row).State == EntityState.Deleted;
            var count = (row is null || deleted ? 0 : row.Count) + delta;
            if (row is null)
            {
                db.ReportCounters.Add(new ReportCounter { Generation = generation, Report = key.Report, Dimension = key.Dimension, Month = key.Month, Bucket = key.Bucket, Count = count });
            }
            else if (count == 0)
            {
                if (!deleted)
                {
                    db.ReportCounters.Remove(row);
                }
            }
            else
            {
                if (deleted)
                {
                    db.Entry(row).State = EntityState.Modified;
                }

                row.Count = count;
            }
        }
    }

    /// <summary>
    /// The counters of <paramref name="reports"/>, and with <paramref name="withWaiting"/> the referrals waiting for an
    /// answer, grouped by the database by chain step and moment of issue (a report never loads them one by one).
    /// </summary>
    public static async Task<Contributions> LoadAsync(ReportingDbContext db, IReadOnlyCollection<string> reports, bool withWaiting, CancellationToken cancellationToken)
    {
        var generation = (await ReadModelState.GetAsync(db, cancellationToken)).ActiveGeneration;
        var rows = await db.ReportCounters.AsNoTracking().Where(c => c.Generation == generation && reports.Contains(c.Report)).ToListAsync(cancellationToken);
        var figures = new Contributions();
        foreach (var row in rows)
        {
            figures.Add(new CounterKey(row.Report, row.Dimension, row.Month, row.Bucket), row.Count);
        }

        if (withWaiting)
        {
            var waiting = await db.OpenReferrals.Where(r => r.Generation == generation)
                .GroupBy(r => new { r.Step, r.IssuedAt, r.DueAt }).Select(g => new { g.Key.Step, g.Key.IssuedAt, g.Key.DueAt, Count = g.Count() }).ToListAsync(cancellationToken);
            figures.UseWaiting([.. waiting.Select(w => new WaitingReferrals(w.Step ?? "", DateTime.SpecifyKind(w.IssuedAt, DateTimeKind.Utc), DateTime.SpecifyKind(w.DueAt, DateTimeKind.Utc), w.Count))]);
        }

        return figures;
    }

    /// <summary>Makes the case's stored open referrals of <paramref name="generation"/> those in <paramref name="open"/>.</summary>
    public static async Task ReplaceOpenReferralsAsync(
        ReportingDbContext db, int generation, string tenant, string caseKey, IEnumerable<OpenReferral> open, CancellationToken cancellationToken)
    {
        // A referral's step and due date are those of its issue, which never change: only the set of open ones does.
        var stored = await db.OpenReferrals.Where(r => r.Generation == generation && r.TenantId == tenant && r.CaseKey == caseKey).ToListAsync(cancellationToken);
        db.OpenReferrals.RemoveRange(stored.Where(s => !open.Any(o => o.ReferralId == s.ReferralId)));
        db.OpenReferrals.AddRange(open.Where(o => !stored.Any(s => o.ReferralId == s.ReferralId)).Select(o => o.In(generation)));
    }

    public static async Task TouchTenantAsync(ReportingDbContext db, string tenant, DateTime receivedAt, CancellationToken cancellationToken)
    {
        var activity = await db.TenantActivities.FindAsync([tenant], cancellationToken);
        if (activity is null)
        {
            db.TenantActivities.Add(new TenantActivity { TenantId = tenant, LastReceivedAt = receivedAt });
        }
        else if (receivedAt > activity.LastReceivedAt)
        {
            activity.LastReceivedAt = receivedAt;
        }
    }
}

/// <summary>
/// One writer at a time for the ReportingService's database: every event type has its own queue, and SQLite has one
/// writer; consumers that wait here do not fight over the database's lock (and sleep in its busy handler), and a
/// case's figures are always computed from everything committed before. The rebuild's swap enters it too.
/// </summary>
public sealed class IngestGate
{
    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}

/// <summary>Puts every consumed message of the ReportingService through the <see cref="IngestGate"/>.</summary>
public sealed class IngestGateFilter<T>(IngestGate gate) : MassTransit.IFilter<MassTransit.ConsumeContext<T>>
    where T : class
{
    public async Task Send(MassTransit.ConsumeContext<T> context, MassTransit.IPipe<MassTransit.ConsumeContext<T>> next)
    {
        using (await gate.EnterAsync(context.CancellationToken))
        {
            await next.Send(context);
        }
    }

    public void Probe(MassTransit.ProbeContext context) => context.CreateScope("ingest-gate");
}
