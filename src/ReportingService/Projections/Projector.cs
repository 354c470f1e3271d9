using System.Text.Json;
using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.ReportingService.EventStore;
using Kim.ReportingService.Infrastructure;
using Kim.ReportingService.Overview;
using Microsoft.EntityFrameworkCore;

namespace Kim.ReportingService.Projections;

/// <summary>
/// Applies events to the projections. The live consumer and the rebuild use this one code path, so a rebuild
/// from the event store gives exactly the live result.
/// </summary>
public static class Projector
{
    public static async Task ApplyAsync(ReportingDbContext db, IntegrationEvent integrationEvent, CancellationToken cancellationToken)
    {
        switch (integrationEvent)
        {
            case CaseOpened opened:
                var snapshot = await SnapshotAsync(db, opened, cancellationToken);
                (snapshot.AgeBand, snapshot.ResidenceCategory, snapshot.AccessRoute) = (opened.AgeBand, opened.ResidenceCategory, opened.AccessRoute);
                (snapshot.OpenedAt, snapshot.OpeningReceived) = (opened.OccurredAt, true);
                break;
            case CaseClosed closed:
                await ChangeAsync(db, closed, CasePhase.Closure, ended: true, cancellationToken);
                break;
            case CaseNotIndicated notIndicated:
                // Intake ended without case management: the case does not continue.
                await ChangeAsync(db, notIndicated, CasePhase.Intake, ended: true, cancellationToken);
                break;
            case CasePhaseChanged changed:
                await ChangeAsync(db, changed, changed.To, ended: changed.To == CasePhase.Closure, cancellationToken);
                break;
        }
    }

    /// <summary>Empties every projection and replays the whole event store through <see cref="ApplyAsync"/>, in one transaction.</summary>
    public static async Task<int> RebuildAsync(ReportingDbContext db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.CaseSnapshots.ExecuteDeleteAsync(cancellationToken);
        db.ChangeTracker.Clear();
        var types = StoredEvents.EventTypes.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var replayed = 0;
        await foreach (var stored in db.StoredEvents.AsNoTracking()
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.ReceivedAt).ThenBy(e => e.MessageId)
            .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (types.TryGetValue(stored.EventType, out var type)
                && JsonSerializer.Deserialize(stored.Payload, type, StoredEvents.PayloadOptions) is IntegrationEvent integrationEvent)
            {
                await ApplyAsync(db, integrationEvent, cancellationToken);
                replayed++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return replayed;
    }

    /// <summary>
    /// Applies a state change unless a newer one was applied already: events of one case travel in different queues,
    /// so they may arrive out of order; the state is always that of the latest fact (by <c>OccurredAt</c>).
    /// </summary>
    private static async Task ChangeAsync(ReportingDbContext db, CaseIntegrationEvent caseEvent, CasePhase phase, bool ended, CancellationToken cancellationToken)
    {
        var snapshot = await SnapshotAsync(db, caseEvent, cancellationToken);
        if (caseEvent.OccurredAt >= snapshot.LastChangedAt)
        {
            snapshot.Phase = phase;
            snapshot.EndedAt = ended ? caseEvent.OccurredAt : null;
            snapshot.LastChangedAt = caseEvent.OccurredAt;
        }
    }

    private static async Task<CaseSnapshot> SnapshotAsync(ReportingDbContext db, CaseIntegrationEvent caseEvent, CancellationToken cancellationToken)
    {
        if (await db.CaseSnapshots.FindAsync([caseEvent.TenantId, caseEvent.CaseKey], cancellationToken) is { } existing)
        {
            return existing;
        }

        var created = new CaseSnapshot { TenantId = caseEvent.TenantId, CaseKey = caseEvent.CaseKey, OpenedAt = caseEvent.OccurredAt, LastChangedAt = DateTime.MinValue };
        db.CaseSnapshots.Add(created);
        return created;
    }
}
