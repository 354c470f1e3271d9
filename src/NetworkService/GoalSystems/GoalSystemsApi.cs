using System.Security.Claims;
using Kim.Contracts;
using Kim.NetworkService.Infrastructure;
using Kim.NetworkService.Themes;
using Kim.NetworkService.WorkingGroups;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kim.NetworkService.GoalSystems;

public sealed record IndicatorRequest(string? Name, decimal? Baseline, decimal? Target, string? Unit, string? Source);

public sealed record OutcomeGoalRequest(string? Text, IReadOnlyList<IndicatorRequest>? Indicators, IReadOnlyList<string>? Activities);

public sealed record FrameworkGoalRequest(string? Text, IReadOnlyList<IndicatorRequest>? Indicators, IReadOnlyList<OutcomeGoalRequest>? OutcomeGoals);

public sealed record DraftGoalSystemRequest
{
    public string? PrincipalGoal { get; init; }

    public IReadOnlyList<IndicatorRequest>? Indicators { get; init; }

    public IReadOnlyList<FrameworkGoalRequest>? FrameworkGoals { get; init; }

    public IReadOnlyList<string>? SourcesOfVerification { get; init; }

    public IReadOnlyList<string>? CriticalAssumptions { get; init; }

    public Validation Validate()
    {
        var validation = new Validation().Text("principalGoal", PrincipalGoal, maxLength: 1000);
        ValidateIndicators(validation, "indicators", Indicators);
        var frameworks = FrameworkGoals ?? [];
        validation.That(frameworks.Count > 0, "frameworkGoals", "Mindestens ein Rahmenziel.");
        for (var f = 0; f < frameworks.Count; f++)
        {
            var fPath = $"frameworkGoals[{f}]";
            validation.Text($"{fPath}.text", frameworks[f].Text, maxLength: 1000);
            ValidateIndicators(validation, $"{fPath}.indicators", frameworks[f].Indicators);
            var outcomes = frameworks[f].OutcomeGoals ?? [];
            validation.That(outcomes.Count > 0, $"{fPath}.outcomeGoals", "Mindestens ein Ergebnisziel.");
            for (var o = 0; o < outcomes.Count; o++)
            {
                var oPath = $"{fPath}.outcomeGoals[{o}]";
                validation.Text($"{oPath}.text", outcomes[o].Text, maxLength: 1000);
                ValidateIndicators(validation, $"{oPath}.indicators", outcomes[o].Indicators);
                var activities = outcomes[o].Activities ?? [];
                for (var a = 0; a < activities.Count; a++)
                {
                    validation.Text($"{oPath}.activities[{a}]", activities[a], maxLength: 1000);
                }
            }
        }

        var sources = SourcesOfVerification ?? [];
        for (var i = 0; i < sources.Count; i++)
        {
            validation.Text($"sourcesOfVerification[{i}]", sources[i], maxLength: 1000);
        }

        var assumptions = CriticalAssumptions ?? [];
        for (var i = 0; i < assumptions.Count; i++)
        {
            validation.Text($"criticalAssumptions[{i}]", assumptions[i], maxLength: 1000);
        }

        return validation;
    }

    public PrincipalGoal ToTree() => new(
        PrincipalGoal!.Trim(),
        ToIndicators(Indicators),
        FrameworkGoals!.Select(f => new FrameworkGoal(f.Text!.Trim(), ToIndicators(f.Indicators),
            f.OutcomeGoals!.Select(o => new OutcomeGoal(o.Text!.Trim(), ToIndicators(o.Indicators),
                (o.Activities ?? []).Select(a => new Activity(a.Trim())).ToList())).ToList())).ToList());

    private static void ValidateIndicators(Validation validation, string path, IReadOnlyList<IndicatorRequest>? indicators)
    {
        var list = indicators ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            validation.Text($"{path}[{i}].name", list[i].Name)
                .Required($"{path}[{i}].baseline", list[i].Baseline)
                .Required($"{path}[{i}].target", list[i].Target)
                .Text($"{path}[{i}].unit", list[i].Unit, maxLength: 40)
                .Text($"{path}[{i}].source", list[i].Source, required: false);
        }
    }

    private static List<Indicator> ToIndicators(IReadOnlyList<IndicatorRequest>? indicators) =>
        (indicators ?? []).Select(i => new Indicator(i.Name!.Trim(), i.Baseline!.Value, i.Target!.Value, i.Unit!.Trim(), i.Source?.Trim())).ToList();
}

public sealed record RecordIndicatorValueRequest
{
    public decimal? Value { get; init; }

    public DateOnly? MeasuredOn { get; init; }

    public string? Source { get; init; }

    public Validation Validate(DateOnly today) => new Validation()
        .Required("value", Value)
        .Required("measuredOn", MeasuredOn)
        .That(MeasuredOn is null || MeasuredOn <= today, "measuredOn", "Das Messdatum darf nicht in der Zukunft liegen.")
        .Text("source", Source, maxLength: 200);
}

public sealed record IndicatorValueResponse(Guid Id, string IndicatorId, decimal Value, DateOnly MeasuredOn, string Source, DateTime RecordedAt)
{
    public static IndicatorValueResponse From(IndicatorValue v) => new(v.Id, v.IndicatorId, v.Value, v.MeasuredOn, v.Source, UtcTime.Of(v.RecordedAt));
}

/// <summary>
/// An indicator with its latest actual value. Progress is the share of the way from baseline to target,
/// (latest - baseline) / (target - baseline), rounded to four places and not capped (below 0: worse than the baseline;
/// above 1: beyond the target); where baseline and target are equal it is latest / target (none when the target is 0).
/// </summary>
public sealed record IndicatorProgressResponse(
    string IndicatorId, string Goal, string Name, decimal Baseline, decimal Target, string Unit, decimal? LatestValue, DateOnly? LatestMeasuredOn,
    string? LatestSource, decimal? Progress)
{
    public static decimal? ProgressOf(decimal baseline, decimal target, decimal? value) => value switch
    {
        null => null,
        _ when target != baseline => Math.Round((value.Value - baseline) / (target - baseline), 4),
        _ when target != 0 => Math.Round(value.Value / target, 4),
        _ => null,
    };
}

/// <summary>One version of a working group's goal system with its tree of goals, indicators and activities.</summary>
public sealed record GoalSystemResponse(
    Guid Id, Guid WorkingGroupId, int Version, Guid? ThemeId, PrincipalGoal Tree, IReadOnlyList<string> SourcesOfVerification,
    IReadOnlyList<string> CriticalAssumptions, GoalSystemStatus Status, string? ResolutionNumber, DateTime CreatedAt,
    IReadOnlyList<IndicatorProgressResponse> Indicators)
{
    public static GoalSystemResponse From(GoalSystem g, IReadOnlyCollection<IndicatorValue>? values = null) => new(
        g.Id, g.WorkingGroupId, g.Version, g.ThemeId, g.Tree, g.SourcesOfVerification, g.CriticalAssumptions, g.Status, g.ResolutionNumber,
        UtcTime.Of(g.CreatedAt),
        IndicatorPositions.All(g.Tree).Select(p =>
        {
            var latest = (values ?? []).Where(v => v.IndicatorId == p.Id)
                .OrderByDescending(v => v.MeasuredOn).ThenByDescending(v => v.RecordedAt).FirstOrDefault();
            return new IndicatorProgressResponse(
                p.Id, p.Goal, p.Indicator.Name, p.Indicator.Baseline, p.Indicator.Target, p.Indicator.Unit, latest?.Value, latest?.MeasuredOn, latest?.Source,
                IndicatorProgressResponse.ProgressOf(p.Indicator.Baseline, p.Indicator.Target, latest?.Value));
        }).ToArray());
}

public static class GoalSystemsApi
{
    public static RouteGroupBuilder MapGoalSystemsApi(this RouteGroupBuilder network)
    {
        network.MapPost("/working-groups/{id:guid}/goal-systems", Draft).WithTags("Goal systems").RequireAuthorization(NetworkPolicies.Manage);
        network.MapGet("/working-groups/{id:guid}/goal-systems", List).WithTags("Goal systems");
        network.MapGet("/goal-systems/{id:guid}", Get).WithTags("Goal systems");
        network.MapPost("/goal-systems/{id:guid}/indicators/{indicatorId}/values", RecordValue).WithTags("Goal systems")
            .RequireAuthorization(NetworkPolicies.Manage);
        network.MapGet("/goal-systems/{id:guid}/indicators/{indicatorId}/values", ListValues).WithTags("Goal systems");
        return network;
    }

    /// <summary>Drafts the next version of the working group's goal system.</summary>
    public static async Task<Results<Created<GoalSystemResponse>, ValidationProblem, ProblemHttpResult>> Draft(
        Guid id, DraftGoalSystemRequest request, NetworkDbContext db, IOptions<NetworkOptions> options, TimeProvider clock, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var (group, refusal) = await WorkingGroupsApi.MandatedAsync(id, db, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var minimum = options.Value.MinimumReconstructionsForGoalSystem;
        var themeId = group!.ThemeId ?? await db.Themes.Where(t => t.WorkingGroupId == id).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(cancellationToken);
        if (themeId is null)
        {
            return Problems.Conflict("Kein generatives Thema", "Die Arbeitsgruppe hat kein Thema; ein Zielsystem braucht ein Thema, das auf Fallrekonstruktionen beruht.");
        }

        var reconstructions = (await ThemesApi.SupportAsync(db, themeId, cancellationToken)).GetValueOrDefault(themeId.Value).Reconstructions;
        if (reconstructions < minimum)
        {
            return Problems.Conflict("Zu wenige Fallrekonstruktionen",
                $"Das Thema beruht auf {reconstructions} Fallrekonstruktion(en); für ein Zielsystem sind mindestens {minimum} nötig.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var version = (await db.GoalSystems.Where(g => g.WorkingGroupId == id).MaxAsync(g => (int?)g.Version, cancellationToken) ?? 0) + 1;
        var goalSystem = new GoalSystem
        {
            Id = Guid.CreateVersion7(),
            WorkingGroupId = id,
            Version = version,
            ThemeId = themeId,
            Tree = request.ToTree(),
            SourcesOfVerification = (request.SourcesOfVerification ?? []).Select(s => s.Trim()).ToList(),
            CriticalAssumptions = (request.CriticalAssumptions ?? []).Select(s => s.Trim()).ToList(),
            Status = GoalSystemStatus.Draft,
            CreatedAt = now,
        };
        db.GoalSystems.Add(goalSystem);
        db.Audit(user, "goal-system.drafted", goalSystem.Id, now, $"version {version}");
        if (!await ConcurrentSave.TrySaveAsync(db, cancellationToken))
        {
            return Problems.ConcurrentChange($"Gleichzeitig wurde Version {version} des Zielsystems angelegt; laden Sie neu und versuchen Sie es noch einmal.");
        }

        return TypedResults.Created($"/api/network/goal-systems/{goalSystem.Id}", GoalSystemResponse.From(goalSystem));
    }

    public static async Task<Ok<GoalSystemResponse[]>> List(Guid id, NetworkDbContext db, CancellationToken cancellationToken)
    {
        var goalSystems = await db.GoalSystems.AsNoTracking().Where(g => g.WorkingGroupId == id).OrderBy(g => g.Version).ToArrayAsync(cancellationToken);
        var ids = goalSystems.Select(g => g.Id).ToList();
        var values = (await db.IndicatorValues.AsNoTracking().Where(v => ids.Contains(v.GoalSystemId)).ToListAsync(cancellationToken))
            .ToLookup(v => v.GoalSystemId);
        return TypedResults.Ok(goalSystems.Select(g => GoalSystemResponse.From(g, values[g.Id].ToList())).ToArray());
    }

    public static async Task<Results<Ok<GoalSystemResponse>, ProblemHttpResult>> Get(Guid id, NetworkDbContext db, CancellationToken cancellationToken)
    {
        var goalSystem = await db.GoalSystems.AsNoTracking().SingleOrDefaultAsync(g => g.Id == id, cancellationToken);
        if (goalSystem is null)
        {
            return Problems.NotFound("Zielsystem nicht gefunden");
        }

        var values = await db.IndicatorValues.AsNoTracking().Where(v => v.GoalSystemId == id).ToListAsync(cancellationToken);
        return TypedResults.Ok(GoalSystemResponse.From(goalSystem, values));
    }

    /// <summary>Records an actual value of an indicator of an adopted goal system.</summary>
    public static async Task<Results<Created<IndicatorValueResponse>, ValidationProblem, ProblemHttpResult>> RecordValue(
        Guid id, string indicatorId, RecordIndicatorValueRequest request, NetworkDbContext db, TimeProvider clock, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var validation = request.Validate(LocalDay.Of(now));
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var goalSystem = await db.GoalSystems.AsNoTracking().SingleOrDefaultAsync(g => g.Id == id, cancellationToken);
        if (goalSystem is null)
        {
            return Problems.NotFound("Zielsystem nicht gefunden");
        }

        if (!IndicatorPositions.All(goalSystem.Tree).Any(p => p.Id == indicatorId))
        {
            return Problems.NotFound("Indikator nicht gefunden");
        }

        if (goalSystem.Status != GoalSystemStatus.Adopted)
        {
            return Problems.Conflict("Zielsystem nicht in Kraft",
                "Istwerte werden nur für das beschlossene, geltende Zielsystem erfasst; dieses ist Entwurf oder abgelöst.");
        }

        var value = new IndicatorValue
        {
            Id = Guid.CreateVersion7(),
            GoalSystemId = id,
            IndicatorId = indicatorId,
            Value = request.Value!.Value,
            MeasuredOn = request.MeasuredOn!.Value,
            Source = request.Source!.Trim(),
            RecordedAt = now,
        };
        db.IndicatorValues.Add(value);
        db.Audit(user, "goal-system.value-recorded", id, now, $"{indicatorId}: {value.Value} ({value.MeasuredOn:yyyy-MM-dd}, {value.Source})");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/network/goal-systems/{id}/indicators/{indicatorId}/values", IndicatorValueResponse.From(value));
    }

    /// <summary>The actual values of an indicator, latest measurement first.</summary>
    public static async Task<Results<Ok<IndicatorValueResponse[]>, ProblemHttpResult>> ListValues(
        Guid id, string indicatorId, NetworkDbContext db, CancellationToken cancellationToken)
    {
        var goalSystem = await db.GoalSystems.AsNoTracking().SingleOrDefaultAsync(g => g.Id == id, cancellationToken);
        if (goalSystem is null || !IndicatorPositions.All(goalSystem.Tree).Any(p => p.Id == indicatorId))
        {
            return Problems.NotFound(goalSystem is null ? "Zielsystem nicht gefunden" : "Indikator nicht gefunden");
        }

        var values = await db.IndicatorValues.AsNoTracking().Where(v => v.GoalSystemId == id && v.IndicatorId == indicatorId).ToListAsync(cancellationToken);
        return TypedResults.Ok(values.OrderByDescending(v => v.MeasuredOn).ThenByDescending(v => v.RecordedAt).Select(IndicatorValueResponse.From).ToArray());
    }
}
