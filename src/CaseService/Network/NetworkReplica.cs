using Kim.CaseService.Infrastructure;
using Kim.Contracts;
using Kim.Contracts.Network;
using Kim.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

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
    protected override async Task HandleAsync(OrganisationRegistered message, ConsumeContext<OrganisationRegistered> context)
    {
        var known = await Db.ProviderOrganisations.FindAsync([message.OrganisationId], context.CancellationToken);
        if (known is null)
        {
            Db.ProviderOrganisations.Add(new ProviderOrganisation
            {
                Id = message.OrganisationId,
                Name = message.Name,
                Type = message.Type,
                TenantId = message.TenantId,
            });
            return;
        }

        known.Name = message.Name;
        known.Type = message.Type;
        known.TenantId = message.TenantId;
    }
}

/// <summary>Keeps every adopted version of every service chain, so a plan can be built from it.</summary>
public sealed class ServiceChainAdoptedHandler(CaseDbContext db, TimeProvider clock, ILogger<ServiceChainAdoptedHandler> logger)
    : IdempotentConsumer<ServiceChainAdopted, CaseDbContext>(db, clock, logger)
{
    protected override async Task HandleAsync(ServiceChainAdopted message, ConsumeContext<ServiceChainAdopted> context)
    {
        if (await Db.ServiceChains.AnyAsync(c => c.ChainId == message.ChainId && c.Version == message.Version, context.CancellationToken))
        {
            return;
        }

        Db.ServiceChains.Add(new AdoptedServiceChain
        {
            ChainId = message.ChainId,
            Version = message.Version,
            Title = message.Title,
            LifeDomain = message.LifeDomain,
            Steps = [.. message.Steps.OrderBy(s => s.Order)],
            ResolutionNumber = message.ResolutionNumber,
            AdoptedAt = message.OccurredAt,
        });
    }
}
