using System.Text.Json;
using Kim.Contracts;
using Kim.ReportingService.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kim.ReportingService.Monitoring;

/// <summary>
/// The stored events of some types, as contract records in the order they happened: for the network's events, which
/// are few (meetings, resolutions, adopted chains ...); the cases' figures come from the read model.
/// </summary>
public static class EventHistory
{
    public static async Task<List<IntegrationEvent>> LoadAsync(ReportingDbContext db, IReadOnlyCollection<Type> types, CancellationToken cancellationToken)
    {
        var names = types.Select(t => t.Name).ToList();
        var rows = await db.StoredEvents.AsNoTracking().Where(e => names.Contains(e.EventType)).OrderBy(e => e.OccurredAt).ThenBy(e => e.MessageId)
            .ToListAsync(cancellationToken);
        var byName = types.ToDictionary(t => t.Name, StringComparer.Ordinal);
        return [.. rows.Select(r => (IntegrationEvent)JsonSerializer.Deserialize(r.Payload, byName[r.EventType], EventStore.StoredEvents.PayloadOptions)!)];
    }
}
