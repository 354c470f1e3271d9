using System.Security.Claims;
using Kim.Contracts;
using Kim.NetworkService.Infrastructure;
using Kim.NetworkService.WorkingGroups;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kim.NetworkService.ServiceChains;

public sealed record ChainStepRequest(
    string? Activity, Guid? ResponsibleOrganisationId, LegalDomain? LegalDomain, string? Preconditions, string? Guarantees, string? Standards, int? TargetDays);

public sealed record DraftServiceChainRequest
{
    /// <summary>Set to draft a new version of an existing chain.</summary>
    public Guid? ChainId { get; init; }

    public string? Title { get; init; }

    public LifeDomain? LifeDomain { get; init; }

    public Guid? WorkingGroupId { get; init; }

    public IReadOnlyList<ChainStepRequest>? Steps { get; init; }

    public Validation Validate()
    {
        var validation = new Validation().Text("title", Title).Required("lifeDomain", LifeDomain);
        var steps = Steps ?? [];
        validation.That(steps.Count > 0, "steps", "Mindestens ein Schritt.");
        for (var i = 0; i < steps.Count; i++)
        {
            var path = $"steps[{i}]";
            validation.Text($"{path}.activity", steps[i].Activity, maxLength: 1000)
                .Required($"{path}.responsibleOrganisationId", steps[i].ResponsibleOrganisationId)
                .Required($"{path}.legalDomain", steps[i].LegalDomain)
                .Text($"{path}.preconditions", steps[i].Preconditions, maxLength: 2000)
                .Text($"{path}.guarantees", steps[i].Guarantees, maxLength: 2000)
                .Text($"{path}.standards", steps[i].Standards, required: false, maxLength: 2000)
                .Required($"{path}.targetDays", steps[i].TargetDays)
                .That(steps[i].TargetDays is null or (>= 0 and <= 365), $"{path}.targetDays", "Zwischen 0 und 365.");
        }

        return validation;
    }
}

/// <summary>One version of a service chain with its steps and handover points.</summary>
public sealed record ServiceChainResponse(
    Guid Id, Guid ChainId, int Version, string Title, LifeDomain LifeDomain, Guid? WorkingGroupId, IReadOnlyList<ChainStepData> Steps,
    ServiceChainStatus Status, string? ResolutionNumber, DateTime CreatedAt)
{
    public static ServiceChainResponse From(ServiceChain c) =>
        new(c.Id, c.ChainId, c.Version, c.Title, c.LifeDomain, c.WorkingGroupId, c.Steps, c.Status, c.ResolutionNumber, UtcTime.Of(c.CreatedAt));
}

public static class ServiceChainsApi
{
    public static RouteGroupBuilder MapServiceChainsApi(this RouteGroupBuilder network)
    {
        var chains = network.MapGroup("/service-chains").WithTags("Service chains");
        chains.MapPost("/", Draft).RequireAuthorization(NetworkPolicies.Manage);
        chains.MapGet("/", List);
        chains.MapGet("/{id:guid}", Get);
        return network;
    }

    public static async Task<Results<Created<ServiceChainResponse>, ValidationProblem, ProblemHttpResult>> Draft(
        DraftServiceChainRequest request, NetworkDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (validation.IsValid)
        {
            var ids = request.Steps!.Select(s => s.ResponsibleOrganisationId!.Value).Distinct().ToList();
            var known = await db.Organisations.Where(o => ids.Contains(o.Id)).Select(o => o.Id).ToListAsync(cancellationToken);
            for (var i = 0; i < request.Steps!.Count; i++)
            {
                validation.That(known.Contains(request.Steps[i].ResponsibleOrganisationId!.Value), $"steps[{i}].responsibleOrganisationId",
                    "Keine Organisation des Netzwerkregisters.");
            }
        }

        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        if (request.WorkingGroupId is { } groupId)
        {
            var (_, refusal) = await WorkingGroupsApi.MandatedAsync(groupId, db, cancellationToken);
            if (refusal is not null)
            {
                return refusal;
            }
        }

        var version = 1;
        var chainId = Guid.CreateVersion7();
        if (request.ChainId is { } existing)
        {
            var latest = await db.ServiceChains.Where(c => c.ChainId == existing).MaxAsync(c => (int?)c.Version, cancellationToken);
            if (latest is null)
            {
                return Problems.NotFound("Dienstleistungskette nicht gefunden");
            }

            chainId = existing;
            version = latest.Value + 1;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var chain = new ServiceChain
        {
            Id = Guid.CreateVersion7(),
            ChainId = chainId,
            Version = version,
            Title = request.Title!.Trim(),
            LifeDomain = request.LifeDomain!.Value,
            WorkingGroupId = request.WorkingGroupId,
            Steps = request.Steps!.Select((s, i) => new ChainStepData(i + 1, s.Activity!.Trim(), s.ResponsibleOrganisationId!.Value, s.LegalDomain!.Value,
                s.Preconditions!.Trim(), s.Guarantees!.Trim(), s.Standards?.Trim() ?? "", s.TargetDays!.Value)).ToList(),
            Status = ServiceChainStatus.Draft,
            CreatedAt = now,
        };
        db.ServiceChains.Add(chain);
        db.Audit(user, "service-chain.drafted", chain.Id, now, $"{chain.Title} v{version}");
        if (!await ConcurrentSave.TrySaveAsync(db, cancellationToken))
        {
            return Problems.ConcurrentChange($"Gleichzeitig wurde Version {version} der Dienstleistungskette angelegt; laden Sie neu und versuchen Sie es noch einmal.");
        }

        return TypedResults.Created($"/api/network/service-chains/{chain.Id}", ServiceChainResponse.From(chain));
    }

    public static async Task<Ok<ServiceChainResponse[]>> List(NetworkDbContext db, CancellationToken cancellationToken)
    {
        var chains = await db.ServiceChains.AsNoTracking().OrderBy(c => c.Title).ThenBy(c => c.Version).ToArrayAsync(cancellationToken);
        return TypedResults.Ok(chains.Select(ServiceChainResponse.From).ToArray());
    }

    public static async Task<Results<Ok<ServiceChainResponse>, ProblemHttpResult>> Get(Guid id, NetworkDbContext db, CancellationToken cancellationToken) =>
        await db.ServiceChains.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken) is { } chain
            ? TypedResults.Ok(ServiceChainResponse.From(chain))
            : Problems.NotFound("Dienstleistungskette nicht gefunden");
}
