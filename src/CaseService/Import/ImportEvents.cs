using Kim.CaseService.Infrastructure;
using Kim.Contracts;
using Kim.ServiceDefaults.Messaging;

namespace Kim.CaseService.Import;

/// <summary>What an import file created.</summary>
public sealed record ImportCounts(int Cases, int Referrals, int Events);

/// <summary>
/// The events of one import file. They carry their original times (<see cref="IntegrationEvent.OccurredAt"/>) and enter
/// the outbox in chronological order (ties in the order the live API would have published them), each one tick of
/// <c>CreatedAt</c> after the other, so the outbox, which publishes by <c>CreatedAt</c>, sends them in that order.
/// </summary>
public sealed class ImportEvents
{
    private readonly List<IntegrationEvent> events = [];

    public int Count => events.Count;

    public void Add(IntegrationEvent integrationEvent) => events.Add(integrationEvent);

    /// <summary>Queues every event in the outbox; saved with the file's one <c>SaveChanges</c>.</summary>
    public void Enqueue(CaseDbContext db, DateTime nowUtc)
    {
        var position = 0;
        foreach (var integrationEvent in events.OrderBy(e => e.OccurredAt))
        {
            db.AddIntegrationEvent(integrationEvent, nowUtc.AddTicks(position++));
        }
    }
}
