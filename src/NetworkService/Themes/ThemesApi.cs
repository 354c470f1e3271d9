using System.Security.Claims;
using Kim.Contracts;
using Kim.Contracts.Network;
using Kim.NetworkService.Infrastructure;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Messaging;
using Kim.ServiceDefaults.Persistence;
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

public sealed record ThemeResponse(
    Guid Id, string Title, string Tag, LifeDomain LifeDomain, ThemeSource Source, ThemeStatus Status, Guid? WorkingGroupId,
    string? AssignedByResolution, int Reconstructions, int Tenants);

public static class ThemesApi
{
    public static RouteGroupBuilder MapThemesApi(this RouteGroupBuilder network)
    {
        var themes = network.MapGroup("/themes").WithTags("Generative themes");
        themes.MapPost("/", Propose).RequireAuthorization(NetworkPolicies.Propose);
        themes.MapGet("/", List);
        themes.MapGet("/{id:guid}", Get);
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

        return TypedResults.Created($"/api/network/themes/{theme.Id}", Respond(theme, 0, 0));
    }

    public static async Task<Ok<ThemeResponse[]>> List(NetworkDbContext db, CancellationToken cancellationToken)
    {
        var themes = await db.Themes.AsNoTracking().ToListAsync(cancellationToken);
        var support = await SupportAsync(db, null, cancellationToken);
        return TypedResults.Ok(themes
            .Select(t => Respond(t, support.GetValueOrDefault(t.Id).Reconstructions, support.GetValueOrDefault(t.Id).Tenants))
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
        return TypedResults.Ok(Respond(theme, support.Reconstructions, support.Tenants));
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

    private static ThemeResponse Respond(GenerativeTheme t, int reconstructions, int tenants) =>
        new(t.Id, t.Title, t.Tag, t.LifeDomain, t.Source, t.Status, t.WorkingGroupId, t.AssignedByResolution, reconstructions, tenants);
}
