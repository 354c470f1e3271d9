using Kim.CaseService.Audit;
using Kim.CaseService.Cases;
using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Barrier = Kim.Contracts.Cases.Barrier;

namespace Kim.CaseService.Reconstructions;

public sealed record BarrierRequest
{
    public LifeDomain? LifeDomain { get; init; }

    public LegalDomain? LegalDomain { get; init; }

    public string? Description { get; init; }

    public List<string>? ThemeTags { get; init; }

    /// <summary>The provider (an organisation of the network registry) at which the barrier occurred; optional.</summary>
    public Guid? ProviderOrganisationId { get; init; }

    /// <summary>The adopted service chain, its version and step at which the barrier occurred; optional, all three together.</summary>
    public Guid? ServiceChainId { get; init; }

    public int? ServiceChainVersion { get; init; }

    public int? ChainStepOrder { get; init; }
}

public sealed record ReconstructionRequest
{
    public string? Title { get; init; }

    public List<BarrierRequest>? Barriers { get; init; }

    public Validation Validate()
    {
        var validation = new Validation().Text("title", Title, maxLength: 300)
            .That(Barriers is { Count: >= 1 and <= 50 }, "barriers", "Zwischen 1 und 50 Hürden.");
        var barriers = Barriers ?? [];
        for (var i = 0; i < barriers.Count; i++)
        {
            var barrier = barriers[i];
            validation.Required($"barriers[{i}].lifeDomain", barrier.LifeDomain).Required($"barriers[{i}].legalDomain", barrier.LegalDomain)
                .Text($"barriers[{i}].description", barrier.Description, maxLength: 2000);
            var tags = barrier.ThemeTags ?? [];
            validation.That(tags.Count <= 10, $"barriers[{i}].themeTags", "Höchstens 10 Schlagwörter.");
            for (var t = 0; t < tags.Count; t++)
            {
                validation.Text($"barriers[{i}].themeTags[{t}]", tags[t], maxLength: 100);
            }

            var stepParts = new object?[] { barrier.ServiceChainId, barrier.ServiceChainVersion, barrier.ChainStepOrder }.Count(p => p is not null);
            validation.That(stepParts is 0 or 3, $"barriers[{i}].serviceChainId", "Kette, Version und Schritt nur zusammen angeben.");
        }

        return validation;
    }
}

public sealed record ReconstructionResponse(Guid Id, string Title, IReadOnlyList<Barrier> Barriers, string SubmittedBy, DateTime SubmittedAt);

/// <summary>Anonymised case reconstructions (Fallrekonstruktion), written by coordinators and sent to the network.</summary>
public static class ReconstructionsApi
{
    public static RouteGroupBuilder MapReconstructionsApi(this RouteGroupBuilder tenantApi)
    {
        var reconstructions = tenantApi.MapGroup("/reconstructions").WithTags("Case reconstructions").RequireAuthorization(CasePolicies.Reconstruct);
        reconstructions.MapPost("/", Submit);
        reconstructions.MapGet("/", List);
        return tenantApi;
    }

    public static async Task<Results<Created<ReconstructionResponse>, ValidationProblem>> Submit(
        string tenant, ReconstructionRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var texts = new List<(string Field, string Text)> { ("title", request.Title!) };
        for (var i = 0; i < request.Barriers!.Count; i++)
        {
            texts.Add(($"barriers[{i}].description", request.Barriers[i].Description!));
            texts.AddRange((request.Barriers[i].ThemeTags ?? []).Select((tag, t) => ($"barriers[{i}].themeTags[{t}]", tag)));
        }

        for (var i = 0; i < request.Barriers!.Count; i++)
        {
            var barrier = request.Barriers[i];
            if (barrier.ProviderOrganisationId is { } provider)
            {
                validation.That(await services.Db.ProviderOrganisations.AnyAsync(o => o.Id == provider, cancellationToken),
                    $"barriers[{i}].providerOrganisationId", "Keine Organisation des Netzwerkregisters.");
            }

            if (barrier is { ServiceChainId: { } chain, ServiceChainVersion: { } version, ChainStepOrder: { } order })
            {
                var adopted = await services.Db.ServiceChains.AsNoTracking().SingleOrDefaultAsync(c => c.ChainId == chain && c.Version == version, cancellationToken);
                validation.That(adopted is not null && adopted.Steps.Any(s => s.Order == order), $"barriers[{i}].chainStepOrder",
                    "Kein Schritt einer beschlossenen Dienstleistungskette in dieser Version.");
            }
        }

        var detector = await PersonalDataDetector.ForTenantAsync(services, cancellationToken);
        foreach (var (field, text) in texts.Where(t => detector.Contains(t.Text)))
        {
            // The message names the field only: echoing the matched name would leak it into logs and answers.
            validation.Add(field, "Enthält den Namen oder das Geburtsdatum einer Klientin oder eines Klienten dieses Mandanten; eine Fallrekonstruktion muss anonymisiert sein.");
        }

        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var reconstruction = new CaseReconstruction
        {
            Id = Guid.CreateVersion7(),
            Title = request.Title!.Trim(),
            Barriers = [.. request.Barriers.Select(b => new Barrier(b.LifeDomain!.Value, b.LegalDomain!.Value, b.Description!.Trim(),
                [.. (b.ThemeTags ?? []).Select(t => t.Trim().ToLowerInvariant()).Distinct()])
            {
                ProviderOrganisationId = b.ProviderOrganisationId,
                ServiceChainId = b.ServiceChainId,
                ServiceChainVersion = b.ServiceChainVersion,
                ChainStepOrder = b.ChainStepOrder,
            })],
            SubmittedBy = services.UserId,
            SubmittedAt = services.Now,
        };
        services.Db.Reconstructions.Add(reconstruction);
        services.Publish(new CaseReconstructionSubmitted
        {
            TenantId = services.TenantId,
            ReconstructionId = reconstruction.Id,
            Barriers = reconstruction.Barriers,
            OccurredAt = services.Now,
        });
        services.Audit("reconstruction.submitted", "reconstruction", reconstruction.Id, AuditPurposes.Planning);
        await services.Db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/tenants/{tenant}/reconstructions/{reconstruction.Id}", Respond(reconstruction));
    }

    public static async Task<Ok<ReconstructionResponse[]>> List(CaseServices services, CancellationToken cancellationToken)
    {
        var all = await services.Db.Reconstructions.AsNoTracking().OrderByDescending(r => r.SubmittedAt).Take(500).ToListAsync(cancellationToken);
        return TypedResults.Ok(all.Select(Respond).ToArray());
    }

    private static ReconstructionResponse Respond(CaseReconstruction r) =>
        new(r.Id, r.Title, r.Barriers, r.SubmittedBy, DateTime.SpecifyKind(r.SubmittedAt, DateTimeKind.Utc));
}
