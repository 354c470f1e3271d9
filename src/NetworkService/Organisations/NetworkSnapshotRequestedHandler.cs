using Kim.Contracts.Network;
using Kim.Contracts.Network.Requests;
using Kim.NetworkService.Infrastructure;
using Kim.NetworkService.ServiceChains;
using Kim.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Kim.NetworkService.Organisations;

/// <summary>
/// Answers a CaseService's <see cref="NetworkSnapshotRequested"/> with the whole registry and every adopted service
/// chain version (<see cref="NetworkSnapshotPublished"/>, through the outbox), so a new or restored instance catches
/// up on what was announced before its queues existed. Carries organisation and chain data only, no contacts.
/// </summary>
public sealed class NetworkSnapshotRequestedHandler(NetworkDbContext db, TimeProvider clock, ILogger<NetworkSnapshotRequestedHandler> logger)
    : IdempotentConsumer<NetworkSnapshotRequested, NetworkDbContext>(db, clock, logger)
{
    private readonly ILogger<NetworkSnapshotRequestedHandler> log = logger;

    protected override async Task HandleAsync(NetworkSnapshotRequested message, ConsumeContext<NetworkSnapshotRequested> context)
    {
        var snapshot = await NetworkSnapshot.ReadAsync(Db, Clock.GetUtcNow().UtcDateTime, message.TenantId, context.CancellationToken);
        Db.AddPublishedMessage(snapshot.MessageId, snapshot, snapshot.OccurredAt);
        log.LogInformation("Network snapshot for {Tenant}: {Organisations} organisations, {Chains} adopted service chain versions",
            message.TenantId, snapshot.Organisations.Count, snapshot.ServiceChains.Count);
    }
}

public static class NetworkSnapshot
{
    /// <summary>The registry and every adopted chain version as their live events announced them.</summary>
    public static async Task<NetworkSnapshotPublished> ReadAsync(NetworkDbContext db, DateTime nowUtc, string? requestedBy, CancellationToken cancellationToken)
    {
        var organisations = await db.Organisations.AsNoTracking().OrderBy(o => o.RegisteredAt).ThenBy(o => o.Id).ToListAsync(cancellationToken);
        var names = organisations.ToDictionary(o => o.Id, o => o.Name);
        var chains = await db.ServiceChains.AsNoTracking()
            .Where(c => c.ResolutionNumber != null && (c.Status == ServiceChainStatus.Adopted || c.Status == ServiceChainStatus.Superseded))
            .OrderBy(c => c.ChainId).ThenBy(c => c.Version)
            .ToListAsync(cancellationToken);
        var numbers = chains.Select(c => c.ResolutionNumber!).Distinct().ToList();
        var decided = await db.Motions.AsNoTracking()
            .Where(m => m.RegisterNumber != null && numbers.Contains(m.RegisterNumber) && m.DecidedAt != null)
            .Select(m => new { m.RegisterNumber, m.DecidedAt })
            .ToListAsync(cancellationToken);
        var decidedAt = decided.GroupBy(m => m.RegisterNumber!).ToDictionary(g => g.Key, g => UtcTime.Of(g.First().DecidedAt!.Value));

        return new NetworkSnapshotPublished
        {
            OccurredAt = nowUtc,
            RequestedBy = requestedBy,
            Organisations = [.. organisations.Select(o => new OrganisationRegistered
            {
                OrganisationId = o.Id,
                Name = o.Name,
                Type = o.Type,
                TenantId = o.TenantId,
                OccurredAt = UtcTime.Of(o.RegisteredAt),
            })],
            ServiceChains = [.. chains.Select(c => new ServiceChainAdopted
            {
                ChainId = c.ChainId,
                Version = c.Version,
                Title = c.Title,
                LifeDomain = c.LifeDomain,
                Steps = [.. c.Steps.Select(s => new ChainStep(s.Order, s.Activity, s.ResponsibleOrganisationId,
                    names.GetValueOrDefault(s.ResponsibleOrganisationId, ""), s.LegalDomain,
                    new HandoverPoint(s.Preconditions, s.Guarantees, s.Standards), s.TargetDays))],
                ResolutionNumber = c.ResolutionNumber!,
                OccurredAt = decidedAt.GetValueOrDefault(c.ResolutionNumber!, UtcTime.Of(c.CreatedAt)),
            })],
        };
    }
}
