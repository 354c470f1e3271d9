using System.Security.Claims;
using Kim.NetworkService.Infrastructure;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kim.NetworkService.WorkingGroups;

/// <summary>The written mandate of a working group, as tabled for the steering group's resolution.</summary>
public sealed record ProposeWorkingGroupRequest
{
    public string? Name { get; init; }

    public string? Subject { get; init; }

    public string? Objective { get; init; }

    public string? SpecialRequirements { get; init; }

    public string? Composition { get; init; }

    public string? WorkingForm { get; init; }

    public string? ExpectedResultFormat { get; init; }

    public Guid? ThemeId { get; init; }

    public Validation Validate() => new Validation()
        .Text("name", Name)
        .Text("subject", Subject, maxLength: 2000)
        .Text("objective", Objective, maxLength: 2000)
        .Text("specialRequirements", SpecialRequirements, required: false, maxLength: 2000)
        .Text("composition", Composition, maxLength: 2000)
        .Text("workingForm", WorkingForm, maxLength: 2000)
        .Text("expectedResultFormat", ExpectedResultFormat, maxLength: 2000);
}

public sealed record AddWorkingGroupMemberRequest
{
    public string? Name { get; init; }

    public Guid? OrganisationId { get; init; }

    public string? Function { get; init; }

    public Validation Validate() => new Validation().Text("name", Name).Text("function", Function, required: false);
}

public sealed record RecordSessionRequest
{
    public DateOnly? HeldOn { get; init; }

    public string? Summary { get; init; }

    public Validation Validate() => new Validation().Required("heldOn", HeldOn).Text("summary", Summary, maxLength: 4000);
}

public sealed record SubmitResultRequest
{
    public string? Title { get; init; }

    public string? Summary { get; init; }

    public Validation Validate() => new Validation().Text("title", Title).Text("summary", Summary, maxLength: 4000);
}

/// <summary>A working group: its written mandate, status, members and sessions.</summary>
public sealed record WorkingGroupResponse(
    Guid Id, string Name, string Subject, string Objective, string? SpecialRequirements, string Composition, string WorkingForm,
    string ExpectedResultFormat, Guid? ThemeId, WorkingGroupStatus Status, string? ResolutionNumber, IReadOnlyList<WorkingGroupMember> Members,
    IReadOnlyList<WorkingGroupSession> Sessions, DateTime CreatedAt)
{
    public static WorkingGroupResponse From(WorkingGroup g) => new(
        g.Id, g.Name, g.Subject, g.Objective, g.SpecialRequirements, g.Composition, g.WorkingForm, g.ExpectedResultFormat, g.ThemeId, g.Status,
        g.ResolutionNumber, g.Members, g.Sessions, UtcTime.Of(g.CreatedAt));
}

/// <summary>A result a working group submitted to the steering group, and what the steering group decided about it.</summary>
public sealed record WorkingGroupResultResponse(
    Guid Id, Guid WorkingGroupId, string Title, string Summary, ResultStatus Status, string? ResolutionNumber, DateTime SubmittedAt)
{
    public static WorkingGroupResultResponse From(WorkingGroupResult r) =>
        new(r.Id, r.WorkingGroupId, r.Title, r.Summary, r.Status, r.ResolutionNumber, UtcTime.Of(r.SubmittedAt));
}

public static class WorkingGroupsApi
{
    public static RouteGroupBuilder MapWorkingGroupsApi(this RouteGroupBuilder network)
    {
        var groups = network.MapGroup("/working-groups").WithTags("Working groups");
        groups.MapPost("/", Propose).RequireAuthorization(NetworkPolicies.Propose);
        groups.MapGet("/", List);
        groups.MapGet("/{id:guid}", Get);
        groups.MapPost("/{id:guid}/members", AddMember).RequireAuthorization(NetworkPolicies.Manage);
        groups.MapPost("/{id:guid}/sessions", RecordSession).RequireAuthorization(NetworkPolicies.Manage);
        groups.MapPost("/{id:guid}/results", SubmitResult).RequireAuthorization(NetworkPolicies.Manage);
        groups.MapGet("/{id:guid}/results", ListResults);
        return network;
    }

    public static async Task<Results<Created<WorkingGroupResponse>, ValidationProblem, ProblemHttpResult>> Propose(
        ProposeWorkingGroupRequest request, NetworkDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (request.ThemeId is { } themeId && !await db.Themes.AnyAsync(t => t.Id == themeId, cancellationToken))
        {
            validation.Add("themeId", "Unbekanntes Thema.");
        }

        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var name = request.Name!.Trim();
        if (await db.WorkingGroups.AnyAsync(g => g.Name == name, cancellationToken))
        {
            return Problems.Conflict("Arbeitsgruppe bereits vorhanden", "Eine Arbeitsgruppe mit diesem Namen gibt es bereits.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var group = new WorkingGroup
        {
            Id = Guid.CreateVersion7(),
            Name = name,
            Subject = request.Subject!.Trim(),
            Objective = request.Objective!.Trim(),
            SpecialRequirements = request.SpecialRequirements?.Trim(),
            Composition = request.Composition!.Trim(),
            WorkingForm = request.WorkingForm!.Trim(),
            ExpectedResultFormat = request.ExpectedResultFormat!.Trim(),
            ThemeId = request.ThemeId,
            Status = WorkingGroupStatus.Proposed,
            CreatedAt = now,
        };
        db.WorkingGroups.Add(group);
        db.Audit(user, "working-group.proposed", group.Id, now, group.Name);
        if (!await ConcurrentSave.TrySaveAsync(db, cancellationToken))
        {
            return Problems.ConcurrentChange("Gleichzeitig wurde eine Arbeitsgruppe mit diesem Namen angelegt.");
        }

        return TypedResults.Created($"/api/network/working-groups/{group.Id}", WorkingGroupResponse.From(group));
    }

    public static async Task<Ok<WorkingGroupResponse[]>> List(NetworkDbContext db, CancellationToken cancellationToken)
    {
        var groups = await db.WorkingGroups.AsNoTracking().OrderBy(g => g.Name).ToArrayAsync(cancellationToken);
        return TypedResults.Ok(groups.Select(WorkingGroupResponse.From).ToArray());
    }

    public static async Task<Results<Ok<WorkingGroupResponse>, ProblemHttpResult>> Get(Guid id, NetworkDbContext db, CancellationToken cancellationToken) =>
        await db.WorkingGroups.AsNoTracking().SingleOrDefaultAsync(g => g.Id == id, cancellationToken) is { } group
            ? TypedResults.Ok(WorkingGroupResponse.From(group))
            : Problems.NotFound("Arbeitsgruppe nicht gefunden");

    public static async Task<Results<Ok<WorkingGroupResponse>, ValidationProblem, ProblemHttpResult>> AddMember(
        Guid id, AddWorkingGroupMemberRequest request, NetworkDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (request.OrganisationId is { } organisationId && !await db.Organisations.AnyAsync(o => o.Id == organisationId, cancellationToken))
        {
            validation.Add("organisationId", "Unbekannte Organisation.");
        }

        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var (group, refusal) = await MandatedAsync(id, db, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        group!.Members = [.. group.Members, new WorkingGroupMember(request.Name!.Trim(), request.OrganisationId, request.Function?.Trim())];
        db.Audit(user, "working-group.member-added", id, clock.GetUtcNow().UtcDateTime, request.Name.Trim());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(WorkingGroupResponse.From(group));
    }

    public static async Task<Results<Ok<WorkingGroupResponse>, ValidationProblem, ProblemHttpResult>> RecordSession(
        Guid id, RecordSessionRequest request, NetworkDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var (group, refusal) = await MandatedAsync(id, db, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        group!.Sessions = [.. group.Sessions, new WorkingGroupSession(request.HeldOn!.Value, request.Summary!.Trim())];
        db.Audit(user, "working-group.session-recorded", id, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(WorkingGroupResponse.From(group));
    }

    public static async Task<Results<Created<WorkingGroupResultResponse>, ValidationProblem, ProblemHttpResult>> SubmitResult(
        Guid id, SubmitResultRequest request, NetworkDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var (_, refusal) = await MandatedAsync(id, db, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var result = new WorkingGroupResult
        {
            Id = Guid.CreateVersion7(),
            WorkingGroupId = id,
            Title = request.Title!.Trim(),
            Summary = request.Summary!.Trim(),
            Status = ResultStatus.Submitted,
            SubmittedAt = now,
        };
        db.WorkingGroupResults.Add(result);
        db.Audit(user, "working-group.result-submitted", result.Id, now, result.Title);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/network/working-groups/{id}/results", WorkingGroupResultResponse.From(result));
    }

    public static async Task<Ok<WorkingGroupResultResponse[]>> ListResults(Guid id, NetworkDbContext db, CancellationToken cancellationToken)
    {
        var results = await db.WorkingGroupResults.AsNoTracking().Where(r => r.WorkingGroupId == id).OrderBy(r => r.SubmittedAt).ToArrayAsync(cancellationToken);
        return TypedResults.Ok(results.Select(WorkingGroupResultResponse.From).ToArray());
    }

    /// <summary>Loads a working group that may work: one with a mandate adopted by resolution.</summary>
    internal static async Task<(WorkingGroup? Group, ProblemHttpResult? Refusal)> MandatedAsync(Guid id, NetworkDbContext db, CancellationToken cancellationToken)
    {
        var group = await db.WorkingGroups.SingleOrDefaultAsync(g => g.Id == id, cancellationToken);
        if (group is null)
        {
            return (null, Problems.NotFound("Arbeitsgruppe nicht gefunden"));
        }

        return group.Status != WorkingGroupStatus.Mandated
            ? (group, Problems.Conflict("Arbeitsgruppe ohne Mandat", "Die Lenkungsgruppe hat der Arbeitsgruppe noch kein Mandat erteilt."))
            : (group, null);
    }
}
