using System.Text.Json;
using Kim.Contracts;
using Kim.ReportingService.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kim.ReportingService.Monitoring;

/// <summary>
/// The stored events of some types, as contract records in the order they happened. The monitoring reports are
/// computed from the event store on request, so they equal what a rebuild would give by construction.
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

    /// <summary>Median and 90th percentile (nearest rank) of <paramref name="values"/>; null when empty.</summary>
    public static (double? Median, double? P90) Quantiles(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            return (null, null);
        }

        var sorted = values.Order().ToArray();
        double Rank(double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        return (Math.Round(median, 1), Math.Round(Rank(0.9), 1));
    }
}
