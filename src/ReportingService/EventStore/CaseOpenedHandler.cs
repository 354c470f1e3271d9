using System.Text.Json;
using Kim.Contracts.Cases;
using Kim.ReportingService.Infrastructure;
using Kim.ReportingService.Overview;
using Kim.ServiceDefaults.Messaging;
using MassTransit;

namespace Kim.ReportingService.EventStore;

/// <summary>Stores <see cref="CaseOpened"/> and counts the case as open for its tenant.</summary>
public sealed class CaseOpenedHandler(ReportingDbContext db, TimeProvider clock, ILogger<CaseOpenedHandler> logger)
    : IdempotentConsumer<CaseOpened, ReportingDbContext>(db, clock, logger)
{
    protected override async Task HandleAsync(CaseOpened message, ConsumeContext<CaseOpened> context)
    {
        Db.StoredEvents.Add(StoredEvents.From(message, context.MessageId!.Value, Clock));

        var counts = await Db.TenantCaseCounts.FindAsync([message.TenantId], context.CancellationToken);
        if (counts is null)
        {
            counts = new TenantCaseCount { TenantId = message.TenantId };
            Db.TenantCaseCounts.Add(counts);
        }

        counts.OpenCases++;
    }
}
