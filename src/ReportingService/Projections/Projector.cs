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
                await AdjustOpenCasesAsync(db, opened.TenantId, +1, cancellationToken);
                break;
            case CaseClosed closed:
                await AdjustOpenCasesAsync(db, closed.TenantId, -1, cancellationToken);
                break;
            case CaseNotIndicated notIndicated:
                // Intake ended without case management: the case does not continue.
                await AdjustOpenCasesAsync(db, notIndicated.TenantId, -1, cancellationToken);
                break;
            case CasePhaseChanged { From: CasePhase.Closure, IsBackward: true } reopened:
                await AdjustOpenCasesAsync(db, reopened.TenantId, +1, cancellationToken);
                break;
        }
    }

    /// <summary>Empties every projection and replays the whole event store through <see cref="ApplyAsync"/>, in one transaction.</summary>
    public static async Task<int> RebuildAsync(ReportingDbContext db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.TenantCaseCounts.ExecuteDeleteAsync(cancellationToken);
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

    private static async Task AdjustOpenCasesAsync(ReportingDbContext db, string tenant, int delta, CancellationToken cancellationToken)
    {
        var counts = await db.TenantCaseCounts.FindAsync([tenant], cancellationToken);
        if (counts is null)
        {
            counts = new TenantCaseCount { TenantId = tenant };
            db.TenantCaseCounts.Add(counts);
        }

        counts.OpenCases += delta;
    }
}
