using System.Security.Claims;
using Kim.Contracts;
using Kim.Contracts.Network;
using Kim.NetworkService.Infrastructure;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Messaging;
using Kim.ServiceDefaults.Persistence;
using Kim.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kim.NetworkService.Themes;

public sealed record ProposeThemeRequest
{
    public string? Title { get; init; }

    public string? Tag { get; init; }

    public LifeDomain? LifeDomain { get; init; }

    public Validation Validate() => new Validation().Text("title", Title).Text("tag", Tag, maxLength: 100).Required("lifeDomain", LifeDomain);
}

public sealed record RenameThemeRequest
{
    public string? Title { get; init; }

    public Validation Validate() => new Validation().Text("title", Title);
}

public sealed record MergeThemeRequest
{
    public Guid? TargetThemeId { get; init; }
}

/// <summary>How many barriers behind a theme name a provider.</summary>
public sealed record ThemeProviderCount(Guid OrganisationId, int Barriers);

/// <summary>How many barriers behind a theme name a step of a service chain version.</summary>
public sealed record ThemeChainStepCount(Guid ServiceChainId, int? ServiceChainVersion, int? ChainStepOrder, int Barriers);

public sealed record ThemeResponse(
    Guid Id, string Title, string Tag, LifeDomain LifeDomain, ThemeSource Source, ThemeStatus Status, Guid? WorkingGroupId,
    string? AssignedByResolution, int Reconstructions, int Tenants, Guid? MergedIntoId,
    IReadOnlyList<ThemeProviderCount> Providers, IReadOnlyList<ThemeChainStepCount> ChainSteps);

/// <summary>One anonymised barrier behind a theme: no case reference, only the tenant that submitted it.</summary>
public sealed record ThemeBarrierResponse(
    Guid ReconstructionId, string TenantId, string Description, LegalDomain LegalDomain, Guid? ProviderOrganisationId, Guid? ServiceChainId,
    int? ServiceChainVersion, int? ChainStepOrder, DateTime ReceivedAt);

public static class ThemesApi
{
    public static RouteGroupBuilder MapThemesApi(this RouteGroupBuilder network)
    {
        var themes = network.MapGroup("/themes").WithTags("Generative themes");
        themes.MapPost("/", Propose).RequireAuthorization(NetworkPolicies.Propose);
        themes.MapGet("/", List);
        themes.MapGet("/{id:guid}", Get);
        themes.MapPut("/{id:guid}", Rename).RequireAuthorization(NetworkPolicies.Manage);
        themes.MapPost("/{id:guid}/merge", Merge).RequireAuthorization(NetworkPolicies.Manage);
        themes.MapGet("/{id:guid}/barriers", Barriers)
            .RequireAuthorization(policy => policy.RequireRole(KimRoles.Coordinator, KimRoles.SteeringMember));
        return network;
    }

    public static async Task<Results<Created<ThemeResponse>, ValidationProblem, ProblemHttpResult>> Propose(
        ProposeThemeRequest request, NetworkDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var tag = GenerativeTheme.NormaliseTag(request.Tag!);
        if (await db.Themes.AnyAsync(t => t.Tag == tag && t.LifeDomain == request.LifeDomain, cancellationToken))
        {
            return Problems.Conflict("Thema bereits vorgeschlagen", "Ein Thema mit diesem Schlagwort und Lebensbereich gibt es bereits.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var theme = new GenerativeTheme
        {
            Id = Guid.CreateVersion7(),
            Title = request.Title!.Trim(),
            Tag = tag,
            LifeDomain = request.LifeDomain!.Value,
            Source = ThemeSource.Manual,
            Status = ThemeStatus.Proposed,
            ProposedAt = now,
        };
        db.Themes.Add(theme);
        db.AddIntegrationEvent(new GenerativeThemeProposed
        {
            ThemeId = theme.Id,
            Title = theme.Title,
            LifeDomain = theme.LifeDomain,
            Source = ThemeSource.Manual,
            Reconstructions = 0,
            Tenants = 0,
            OccurredAt = now,
        }, now);
        db.Audit(user, "theme.proposed", theme.Id, now, theme.Title);
        if (!await ConcurrentSave.TrySaveAsync(db, cancellationToken))
        {
            return Problems.ConcurrentChange("Gleichzeitig wurde ein Thema mit diesem Schlagwort und Lebensbereich vorgeschlagen.");
        }

        return TypedResults.Created($"/api/network/themes/{theme.Id}", Respond(theme, default, []));
    }

    public static async Task<Ok<ThemeResponse[]>> List(NetworkDbContext db, CancellationToken cancellationToken)
    {
        var themes = await db.Themes.AsNoTracking().Where(t => t.Status != ThemeStatus.Merged).ToListAsync(cancellationToken);
        var support = await SupportAsync(db, null, cancellationToken);
        var links = await LinksAsync(db, null, cancellationToken);
        return TypedResults.Ok(themes
            .Select(t => Respond(t, support.GetValueOrDefault(t.Id), links.GetValueOrDefault(t.Id) ?? []))
            .OrderByDescending(t => t.Reconstructions).ThenByDescending(t => t.Tenants).ThenBy(t => t.Title, StringComparer.Ordinal)
            .ToArray());
    }

    public static async Task<Results<Ok<ThemeResponse>, ProblemHttpResult>> Get(Guid id, NetworkDbContext db, CancellationToken cancellationToken)
    {
        var theme = await db.Themes.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (theme is null)
        {
            return Problems.NotFound("Thema nicht gefunden");
        }

        var support = (await SupportAsync(db, id, cancellationToken)).GetValueOrDefault(id);
        var links = (await LinksAsync(db, id, cancellationToken)).GetValueOrDefault(id) ?? [];
        return TypedResults.Ok(Respond(theme, support, links));
    }

    /// <summary>The anonymised barrier texts behind a theme, newest first.</summary>
    public static async Task<Results<Ok<ThemeBarrierResponse[]>, ProblemHttpResult>> Barriers(Guid id, NetworkDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Themes.AnyAsync(t => t.Id == id, cancellationToken))
        {
            return Problems.NotFound("Thema nicht gefunden");
        }

        var barriers = await db.ThemeBarriers.AsNoTracking().Where(b => b.ThemeId == id)
            .OrderByDescending(b => b.ReceivedAt).ThenByDescending(b => b.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(barriers.Select(b => new ThemeBarrierResponse(
            b.ReconstructionId, b.TenantId, b.Description, b.LegalDomain, b.ProviderOrganisationId, b.ServiceChainId, b.ServiceChainVersion,
            b.ChainStepOrder, UtcTime.Of(b.ReceivedAt))).ToArray());
    }

    /// <summary>Changes a theme's title; the tag that groups barriers stays.</summary>
    public static async Task<Results<Ok<ThemeResponse>, ValidationProblem, ProblemHttpResult>> Rename(
        Guid id, RenameThemeRequest request, NetworkDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var theme = await db.Themes.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (theme is null)
        {
            return Problems.NotFound("Thema nicht gefunden");
        }

        if (theme.Status == ThemeStatus.Merged)
        {
            return Problems.Conflict("Thema zusammengeführt", "Das Thema wurde in ein anderes Thema zusammengeführt; ändern Sie dessen Titel.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var previous = theme.Title;
        theme.Title = request.Title!.Trim();
        theme.Revision++;
        db.Audit(user, "theme.renamed", theme.Id, now, $"{previous} -> {theme.Title}");
        if (!await ConcurrentSave.TrySaveAsync(db, cancellationToken))
        {
            return Problems.ConcurrentChange("Gleichzeitig wurde das Thema geändert; laden Sie neu und versuchen Sie es noch einmal.");
        }

        return await Get(id, db, cancellationToken) is { Result: Ok<ThemeResponse> ok } ? ok : Problems.NotFound("Thema nicht gefunden");
    }

    /// <summary>
    /// Merges a duplicate theme into another: its evidence and barriers move to the target (a reconstruction counts once),
    /// it is marked merged and hidden, and its tag becomes an alias of the target.
    /// </summary>
    public static async Task<Results<Ok<ThemeResponse>, ValidationProblem, ProblemHttpResult>> Merge(
        Guid id, MergeThemeRequest request, NetworkDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var validation = new Validation().Required("targetThemeId", request.TargetThemeId)
            .That(request.TargetThemeId != id, "targetThemeId", "Ein Thema kann nicht in sich selbst zusammengeführt werden.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var source = await db.Themes.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (source is null)
        {
            return Problems.NotFound("Thema nicht gefunden");
        }

        var target = await db.Themes.SingleOrDefaultAsync(t => t.Id == request.TargetThemeId, cancellationToken);
        if (target is null)
        {
            return new Validation().Add("targetThemeId", "Unbekanntes Thema.").ToProblem();
        }

        if (source.Status == ThemeStatus.Merged || target.Status == ThemeStatus.Merged)
        {
            return Problems.Conflict("Thema bereits zusammengeführt",
                "Ein bereits zusammengeführtes Thema kann weder zusammengeführt werden noch weitere Themen aufnehmen; wählen Sie das Thema, in das es zusammengeführt wurde.");
        }

        if (source.WorkingGroupId is not null || await db.WorkingGroups.AnyAsync(g => g.ThemeId == id, cancellationToken))
        {
            return Problems.Conflict("Thema einer Arbeitsgruppe zugeordnet",
                "Das Thema ist einer Arbeitsgruppe zugeordnet; die Zuordnung ginge verloren. Führen Sie stattdessen das andere Thema in dieses zusammen.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var targetId = target.Id;
        var known = (await db.ThemeEvidence.Where(e => e.ThemeId == targetId).Select(e => e.ReconstructionId).ToListAsync(cancellationToken)).ToHashSet();
        foreach (var evidence in await db.ThemeEvidence.Where(e => e.ThemeId == id).ToListAsync(cancellationToken))
        {
            db.ThemeEvidence.Remove(evidence);
            if (known.Add(evidence.ReconstructionId))
            {
                db.ThemeEvidence.Add(new ThemeEvidence
                {
                    ThemeId = targetId,
                    ReconstructionId = evidence.ReconstructionId,
                    TenantId = evidence.TenantId,
                    ReceivedAt = evidence.ReceivedAt,
                });
            }
        }

        var targetBarriers = (await db.ThemeBarriers.Where(b => b.ThemeId == targetId)
            .Select(b => new { b.ReconstructionId, b.Description, b.LegalDomain }).ToListAsync(cancellationToken)).ToHashSet();
        foreach (var barrier in await db.ThemeBarriers.Where(b => b.ThemeId == id).ToListAsync(cancellationToken))
        {
            // A barrier tagged with both tags appears once in the target.
            if (targetBarriers.Add(new { barrier.ReconstructionId, barrier.Description, barrier.LegalDomain }))
            {
                barrier.ThemeId = targetId;
            }
            else
            {
                db.ThemeBarriers.Remove(barrier);
            }
        }

        source.Status = ThemeStatus.Merged;
        source.MergedIntoId = targetId;
        source.Revision++;
        target.Revision++;
        db.Audit(user, "theme.merged", source.Id, now, $"{source.Tag} -> {target.Id}");
        db.Audit(user, "theme.merged-into", target.Id, now, $"{source.Id} ({source.Tag})");
        if (!await ConcurrentSave.TrySaveAsync(db, cancellationToken))
        {
            return Problems.ConcurrentChange("Gleichzeitig wurde eines der Themen geändert; laden Sie neu und versuchen Sie es noch einmal.");
        }

        return await Get(targetId, db, cancellationToken) is { Result: Ok<ThemeResponse> ok } ? ok : Problems.NotFound("Thema nicht gefunden");
    }

    /// <summary>The providers and chain steps the barriers behind each theme name.</summary>
    internal static async Task<Dictionary<Guid, List<ThemeBarrier>>> LinksAsync(NetworkDbContext db, Guid? themeId, CancellationToken cancellationToken)
    {
        var query = db.ThemeBarriers.AsNoTracking().Where(b => b.ProviderOrganisationId != null || b.ServiceChainId != null);
        if (themeId is { } id)
        {
            query = query.Where(b => b.ThemeId == id);
        }

        return (await query.ToListAsync(cancellationToken)).GroupBy(b => b.ThemeId).ToDictionary(g => g.Key, g => g.ToList());
    }

    /// <summary>Distinct reconstructions and distinct tenants behind each theme.</summary>
    internal static async Task<Dictionary<Guid, (int Reconstructions, int Tenants)>> SupportAsync(
        NetworkDbContext db, Guid? themeId, CancellationToken cancellationToken)
    {
        var query = db.ThemeEvidence.AsNoTracking();
        if (themeId is { } id)
        {
            query = query.Where(e => e.ThemeId == id);
        }

        var rows = await query.Select(e => new { e.ThemeId, e.ReconstructionId, e.TenantId }).ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.ThemeId).ToDictionary(
            g => g.Key,
            g => (g.Select(r => r.ReconstructionId).Distinct().Count(), g.Select(r => r.TenantId).Distinct(StringComparer.Ordinal).Count()));
    }

    private static ThemeResponse Respond(GenerativeTheme t, (int Reconstructions, int Tenants) support, List<ThemeBarrier> links) =>
        new(t.Id, t.Title, t.Tag, t.LifeDomain, t.Source, t.Status, t.WorkingGroupId, t.AssignedByResolution, support.Reconstructions, support.Tenants,
            t.MergedIntoId,
            links.Where(b => b.ProviderOrganisationId is not null).GroupBy(b => b.ProviderOrganisationId!.Value)
                .Select(g => new ThemeProviderCount(g.Key, g.Count())).OrderByDescending(p => p.Barriers).ThenBy(p => p.OrganisationId).ToArray(),
            links.Where(b => b.ServiceChainId is not null).GroupBy(b => (b.ServiceChainId!.Value, b.ServiceChainVersion, b.ChainStepOrder))
                .Select(g => new ThemeChainStepCount(g.Key.Item1, g.Key.ServiceChainVersion, g.Key.ChainStepOrder, g.Count()))
                .OrderByDescending(c => c.Barriers).ThenBy(c => c.ServiceChainId).ThenBy(c => c.ChainStepOrder).ToArray());
}
