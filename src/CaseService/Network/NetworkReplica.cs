using Kim.CaseService.Infrastructure;
using Kim.CaseService.Tenancy;
using Kim.Contracts;
using Kim.Contracts.Network;
using Kim.Contracts.Network.Requests;
using Kim.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kim.CaseService.Network;

/// <summary>An organisation of the network registry, as this CaseService knows it from <see cref="OrganisationRegistered"/>.</summary>
public sealed class ProviderOrganisation
{
    public Guid Id { get; init; }

    public required string Name { get; set; }

    public OrganisationType Type { get; set; }

    /// <summary>Set when the organisation is a tenant of the platform with its own CaseService.</summary>
    public string? TenantId { get; set; }
}

/// <summary>A service chain version adopted by the steering group, from <see cref="ServiceChainAdopted"/>.</summary>
public sealed class AdoptedServiceChain
{
    public Guid ChainId { get; init; }

    public int Version { get; init; }

    public required string Title { get; init; }

    public LifeDomain LifeDomain { get; init; }

    public required List<ChainStep> Steps { get; init; }

    public required string ResolutionNumber { get; init; }

    public DateTime AdoptedAt { get; init; }
}

/// <summary>Keeps the local copy of the network registry current.</summary>
public sealed class OrganisationRegisteredHandler(CaseDbContext db, TimeProvider clock, ILogger<OrganisationRegisteredHandler> logger)
    : IdempotentConsumer<OrganisationRegistered, CaseDbContext>(db, clock, logger)
{
    protected override Task HandleAsync(OrganisationRegistered message, ConsumeContext<OrganisationRegistered> context) =>
        NetworkReplica.ApplyAsync(Db, message, fromSnapshot: false, context.CancellationToken);
}

/// <summary>Keeps every adopted version of every service chain, so a plan can be built from it.</summary>
public sealed class ServiceChainAdoptedHandler(CaseDbContext db, TimeProvider clock, ILogger<ServiceChainAdoptedHandler> logger)
    : IdempotentConsumer<ServiceChainAdopted, CaseDbContext>(db, clock, logger)
{
    protected override Task HandleAsync(ServiceChainAdopted message, ConsumeContext<ServiceChainAdopted> context) =>
        NetworkReplica.ApplyAsync(Db, message, context.CancellationToken);
}

/// <summary>
/// Catch-up of a new or restored instance: applies NetworkService's answer to <see cref="NetworkSnapshotRequested"/>
/// (every CaseService applies every snapshot; only what it does not know yet is added).
/// </summary>
public sealed class NetworkSnapshotPublishedHandler(CaseDbContext db, TimeProvider clock, ILogger<NetworkSnapshotPublishedHandler> logger)
    : IdempotentConsumer<NetworkSnapshotPublished, CaseDbContext>(db, clock, logger)
{
    private readonly ILogger<NetworkSnapshotPublishedHandler> log = logger;

    protected override async Task HandleAsync(NetworkSnapshotPublished message, ConsumeContext<NetworkSnapshotPublished> context)
    {
        var (organisations, chains) = await NetworkReplica.ApplyAsync(Db, message, context.CancellationToken);
        if (organisations + chains > 0)
        {
            log.LogInformation("Network snapshot of {SnapshotAt} added {Organisations} organisations and {Chains} service chain versions",
                message.OccurredAt, organisations, chains);
        }
    }
}

/// <summary>
/// At every start: asks NetworkService for a snapshot of the registry and the adopted chains, through the outbox, so the
/// request waits for a broker that is down and for a NetworkService that has not bound its queue yet.
/// </summary>
public sealed class NetworkCatchUp(IServiceScopeFactory scopes, TimeProvider clock, IOptions<TenantOptions> tenant, ILogger<NetworkCatchUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RequestSnapshotAsync(stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Requesting the network snapshot failed; it is requested again at the next start");
        }
    }

    public async Task RequestSnapshotAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CaseDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var request = new NetworkSnapshotRequested { TenantId = tenant.Value.Id, OccurredAt = now };
        db.AddPublishedMessage(request.MessageId, request, now);
        await db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>
/// The rules by which live events and snapshots change the replica. Organisations never change in the registry after
/// their registration (the name is unique, there is no update), and chain versions are immutable once adopted: so a
/// snapshot only adds organisations and chain versions this instance does not know, and can never undo a newer live
/// event, whatever the order in which they arrive.
/// </summary>
public static class NetworkReplica
{
    public static async Task ApplyAsync(CaseDbContext db, OrganisationRegistered message, bool fromSnapshot, CancellationToken cancellationToken)
    {
        var known = await db.ProviderOrganisations.FindAsync([message.OrganisationId], cancellationToken);
        if (known is null)
        {
            db.ProviderOrganisations.Add(new ProviderOrganisation
            {
                Id = message.OrganisationId,
                Name = message.Name,
                Type = message.Type,
                TenantId = message.TenantId,
            });
            return;
        }

        if (fromSnapshot)
        {
            return;
        }

        known.Name = message.Name;
        known.Type = message.Type;
        known.TenantId = message.TenantId;
    }

    /// <summary>Adds the chain version unless it is known; returns whether it was added.</summary>
    public static async Task<bool> ApplyAsync(CaseDbContext db, ServiceChainAdopted message, CancellationToken cancellationToken)
    {
        if (await db.ServiceChains.AnyAsync(c => c.ChainId == message.ChainId && c.Version == message.Version, cancellationToken)
            || db.ServiceChains.Local.Any(c => c.ChainId == message.ChainId && c.Version == message.Version))
        {
            return false;
        }

        db.ServiceChains.Add(new AdoptedServiceChain
        {
            ChainId = message.ChainId,
            Version = message.Version,
            Title = message.Title,
            LifeDomain = message.LifeDomain,
            Steps = [.. message.Steps.OrderBy(s => s.Order)],
            ResolutionNumber = message.ResolutionNumber,
            AdoptedAt = message.OccurredAt,
        });
        return true;
    }

    /// <summary>Adds what the snapshot knows and this instance does not; returns how many organisations and chain versions.</summary>
    public static async Task<(int Organisations, int Chains)> ApplyAsync(CaseDbContext db, NetworkSnapshotPublished snapshot, CancellationToken cancellationToken)
    {
        var knownOrganisations = (await db.ProviderOrganisations.Select(o => o.Id).ToListAsync(cancellationToken)).ToHashSet();
        var knownChains = (await db.ServiceChains.Select(c => new { c.ChainId, c.Version }).ToListAsync(cancellationToken))
            .Select(c => (c.ChainId, c.Version)).ToHashSet();
        var organisations = 0;
        foreach (var organisation in snapshot.Organisations.DistinctBy(o => o.OrganisationId).Where(o => knownOrganisations.Add(o.OrganisationId)))
        {
            await ApplyAsync(db, organisation, fromSnapshot: true, cancellationToken);
            organisations++;
        }

        var chains = 0;
        foreach (var chain in snapshot.ServiceChains.Where(c => knownChains.Add((c.ChainId, c.Version))))
        {
            chains += await ApplyAsync(db, chain, cancellationToken) ? 1 : 0;
        }

        return (organisations, chains);
    }
}
