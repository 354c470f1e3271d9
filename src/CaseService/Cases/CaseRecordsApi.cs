using Kim.Contracts;
using Kim.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kim.CaseService.Cases;

/// <summary>
/// Daily case work beside the phases: the journal (Verlaufsdokumentation), follow-ups and appointments
/// (Wiedervorlagen, Termine), and who is responsible (assignment, deputies, handover).
/// </summary>
public static class CaseRecordsApi
{
    public static RouteGroupBuilder MapCaseRecordsApi(this RouteGroupBuilder tenantApi)
    {
        var cases = tenantApi.MapGroup("/cases/{id:guid}").WithTags("Case records").RequireAuthorization(CasePolicies.CaseWork);
        cases.MapPost("/journal", AddJournalEntry).WithName("AddJournalEntry");
        cases.MapGet("/journal", ListJournal).WithName("ListJournal");
        cases.MapPost("/follow-ups", PlanFollowUp).WithName("PlanFollowUp");
        cases.MapGet("/follow-ups", ListFollowUps).WithName("ListFollowUps");
        cases.MapPost("/follow-ups/{followUpId:guid}/done", CompleteFollowUp).WithName("CompleteFollowUp");
        cases.MapPost("/handover", HandOver).WithName("HandOverCase");
        cases.MapPut("/deputies", SetDeputies).WithName("SetCaseDeputies");
        return tenantApi;
    }

    /// <summary>Adds a journal entry; entries are never changed afterwards (a correction is a new entry).</summary>
    public static async Task<Results<Created<JournalEntryResponse>, ValidationProblem, ProblemHttpResult>> AddJournalEntry(
        string tenant, Guid id, JournalEntryRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var found = await services.VisibleCases.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (found is null)
        {
            return CaseProblems.NotFound();
        }

        var validation = request.Validate(services.Today, LocalDay.Of(found.OpenedAt));
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        if (found.Status != CaseStatus.Open)
        {
            return CaseProblems.Refused(found.Status == CaseStatus.Closed ? Refusal.CaseClosed() : Refusal.CaseNotIndicated());
        }

        var entry = new JournalEntry
        {
            Id = Guid.CreateVersion7(),
            CaseId = id,
            Kind = request.Kind!.Value,
            OccurredOn = request.OccurredOn!.Value,
            DurationMinutes = request.DurationMinutes,
            RecordedAt = services.Now,
            RecordedBy = services.UserId,
        };
        entry.ProtectedText = services.Protector.ProtectText(entry.Id, request.Text!.Trim());
        services.Db.Journal.Add(entry);
        services.Audit("journal.entry-added", "journal-entry", entry.Id);
        await services.Db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/tenants/{tenant}/cases/{id}/journal", JournalEntryResponse.From(entry, request.Text!.Trim()));
    }

    /// <summary>The journal, newest first; every read is audited.</summary>
    public static async Task<Results<Ok<JournalEntryResponse[]>, ProblemHttpResult>> ListJournal(Guid id, CaseServices services, CancellationToken cancellationToken)
    {
        if (!await services.VisibleCases.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return CaseProblems.NotFound();
        }

        var entries = await services.Db.Journal.AsNoTracking().Where(j => j.CaseId == id)
            .OrderByDescending(j => j.OccurredOn).ThenByDescending(j => j.RecordedAt).ToListAsync(cancellationToken);
        await services.AuditReadAsync("journal.read", "case", id, cancellationToken);
        return TypedResults.Ok(entries
            .Select(j => JournalEntryResponse.From(j, j.ProtectedText is null ? null : services.Protector.UnprotectText(j.Id, j.ProtectedText)))
            .ToArray());
    }

    public static async Task<Results<Created<FollowUpResponse>, ValidationProblem, ProblemHttpResult>> PlanFollowUp(
        string tenant, Guid id, FollowUpRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = request.Validate(services.Today);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var found = await services.VisibleCases.Include(c => c.Deputies).SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (found is null)
        {
            return CaseProblems.NotFound();
        }

        if (found.Status != CaseStatus.Open)
        {
            return CaseProblems.Refused(found.Status == CaseStatus.Closed ? Refusal.CaseClosed() : Refusal.CaseNotIndicated());
        }

        var assignee = string.IsNullOrWhiteSpace(request.AssignedTo) ? services.UserId : request.AssignedTo.Trim();
        if (assignee != found.AssignedTo && found.Deputies.All(d => d.UserId != assignee) && assignee != services.UserId)
        {
            return new Validation().Add("assignedTo", "Eine Wiedervorlage geht an die zuständige Fachkraft, eine Vertretung oder Sie selbst.").ToProblem();
        }

        var followUp = new FollowUp
        {
            Id = Guid.CreateVersion7(),
            CaseId = id,
            Kind = request.Kind!.Value,
            Title = request.Title!.Trim(),
            DueOn = request.DueOn!.Value,
            DueTime = request.DueTime,
            AssignedTo = assignee,
            CreatedAt = services.Now,
            CreatedBy = services.UserId,
        };
        services.Db.FollowUps.Add(followUp);
        services.Audit("follow-up.planned", "follow-up", followUp.Id);
        await services.Db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/tenants/{tenant}/cases/{id}/follow-ups/{followUp.Id}", FollowUpResponse.From(followUp, services.Today));
    }

    public static async Task<Results<Ok<FollowUpResponse[]>, ProblemHttpResult>> ListFollowUps(Guid id, CaseServices services, CancellationToken cancellationToken)
    {
        if (!await services.VisibleCases.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return CaseProblems.NotFound();
        }

        var followUps = await services.Db.FollowUps.AsNoTracking().Where(f => f.CaseId == id).ToListAsync(cancellationToken);
        return TypedResults.Ok(followUps.OrderBy(f => f.DoneAt is not null).ThenBy(f => f.DueOn).ThenBy(f => f.DueTime)
            .Select(f => FollowUpResponse.From(f, services.Today)).ToArray());
    }

    /// <summary>Marks a follow-up done; a planned review or conference is done by recording it.</summary>
    public static async Task<Results<Ok<FollowUpResponse>, ProblemHttpResult>> CompleteFollowUp(
        Guid id, Guid followUpId, CaseServices services, CancellationToken cancellationToken)
    {
        var visible = services.VisibleCases.Select(c => c.Id);
        var followUp = await services.Db.FollowUps.SingleOrDefaultAsync(f => f.Id == followUpId && f.CaseId == id && visible.Contains(f.CaseId), cancellationToken);
        if (followUp is null)
        {
            return CaseProblems.NotFound("Wiedervorlage nicht gefunden");
        }

        if (followUp.DoneAt is not null)
        {
            return CaseProblems.Refused(FollowUpDone());
        }

        followUp.DoneAt = services.Now;
        followUp.DoneBy = services.UserId;
        services.Audit("follow-up.done", "follow-up", followUp.Id);
        try
        {
            await services.Db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return CaseProblems.Refused(FollowUpDone());
        }

        return TypedResults.Ok(FollowUpResponse.From(followUp, services.Today));
    }

    /// <summary>
    /// Hands the case over to a colleague, who becomes responsible; the former case manager loses access unless named
    /// deputy. Open follow-ups of the former case manager go with the case. Only the responsible case manager or a
    /// coordinator hands over.
    /// </summary>
    public static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> HandOver(
        string tenant, Guid id, HandoverRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var to = request.To!.Trim();
        var openFollowUps = await services.Db.FollowUps.Where(f => f.CaseId == id && f.DoneAt == null).ToListAsync(cancellationToken);
        return await CasesApi.ChangeAsync(tenant, id, services, cancellationToken, c =>
        {
            if (MayAssign(c, services) is { } refusal)
            {
                return refusal;
            }

            if (to == c.AssignedTo)
            {
                return new Refusal("already-responsible", "Bereits zuständig", "Die genannte Fachkraft ist für diesen Fall schon zuständig.");
            }

            foreach (var followUp in openFollowUps.Where(f => f.AssignedTo == c.AssignedTo))
            {
                followUp.AssignedTo = to;
            }

            c.Deputies.RemoveAll(d => d.UserId == to);
            c.AssignedTo = to;
            services.Audit("case.handed-over", "case", c.Id);
            return null;
        });
    }

    /// <summary>Replaces the deputies of the responsible case manager (at most five).</summary>
    public static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> SetDeputies(
        string tenant, Guid id, DeputiesRequest request, CaseServices services, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var wanted = request.Deputies!.Select(d => d!.Trim()).Distinct(StringComparer.Ordinal).ToList();
        return await CasesApi.ChangeAsync(tenant, id, services, cancellationToken, c =>
        {
            if (MayAssign(c, services) is { } refusal)
            {
                return refusal;
            }

            if (wanted.Contains(c.AssignedTo))
            {
                return new Refusal("deputy-is-responsible", "Vertretung ist zuständig", "Die zuständige Fachkraft kann nicht zugleich ihre eigene Vertretung sein.");
            }

            c.Deputies.RemoveAll(d => !wanted.Contains(d.UserId));
            foreach (var user in wanted.Where(user => c.Deputies.All(d => d.UserId != user)))
            {
                c.Deputies.Add(new CaseDeputy { CaseId = c.Id, UserId = user });
            }

            services.Audit("case.deputies-changed", "case", c.Id);
            return null;
        });
    }

    private static Refusal? MayAssign(Case c, CaseServices services) =>
        c.AssignedTo == services.UserId || services.User.IsInRole(ServiceDefaults.Security.KimRoles.Coordinator)
            ? null
            : new Refusal("not-responsible", "Nicht zuständig", "Nur die zuständige Fachkraft oder die Koordination übergibt einen Fall oder bestimmt Vertretungen.");

    private static Refusal FollowUpDone() => new("follow-up-done", "Wiedervorlage erledigt", "Diese Wiedervorlage ist bereits erledigt.");
}

public sealed record JournalEntryRequest
{
    public JournalEntryKind? Kind { get; init; }

    /// <summary>The day of the contact, <c>YYYY-MM-DD</c>.</summary>
    public DateOnly? OccurredOn { get; init; }

    public int? DurationMinutes { get; init; }

    public string? Text { get; init; }

    public Validation Validate(DateOnly today, DateOnly opened)
    {
        var validation = new Validation().Required("kind", Kind).Required("occurredOn", OccurredOn).Text("text", Text, maxLength: 8000);
        if (OccurredOn is { } day)
        {
            validation.That(day <= today, "occurredOn", "Darf nicht in der Zukunft liegen.")
                .That(day >= opened, "occurredOn", "Darf nicht vor der Eröffnung des Falls liegen.");
        }

        return validation.That(DurationMinutes is null or (>= 1 and <= 1440), "durationMinutes", "Zwischen 1 und 1440 Minuten.");
    }
}

public sealed record JournalEntryResponse(Guid Id, JournalEntryKind Kind, DateOnly OccurredOn, int? DurationMinutes, string? Text, DateTime RecordedAt, string RecordedBy)
{
    public static JournalEntryResponse From(JournalEntry entry, string? text) =>
        new(entry.Id, entry.Kind, entry.OccurredOn, entry.DurationMinutes, text, ReferralResponse.Utc(entry.RecordedAt), entry.RecordedBy);
}

public sealed record FollowUpRequest
{
    public FollowUpKind? Kind { get; init; }

    public string? Title { get; init; }

    public DateOnly? DueOn { get; init; }

    /// <summary>Local time of an appointment, <c>HH:mm</c>; empty for a whole-day follow-up.</summary>
    public TimeOnly? DueTime { get; init; }

    /// <summary>User id of the assignee; default the caller.</summary>
    public string? AssignedTo { get; init; }

    public Validation Validate(DateOnly today)
    {
        var validation = new Validation().Required("kind", Kind).Text("title", Title, maxLength: 300).Required("dueOn", DueOn)
            .Text("assignedTo", AssignedTo, required: false);
        if (DueOn is { } due)
        {
            validation.That(due >= today.AddDays(-1), "dueOn", "Darf nicht in der Vergangenheit liegen.")
                .That(due <= today.AddYears(2), "dueOn", "Höchstens zwei Jahre im Voraus.");
        }

        return validation;
    }
}

public sealed record FollowUpResponse(
    Guid Id, Guid CaseId, FollowUpKind Kind, string? Title, DateOnly DueOn, TimeOnly? DueTime, string AssignedTo, bool Done, DateTime? DoneAt,
    bool Overdue, Guid? ReviewId)
{
    public static FollowUpResponse From(FollowUp f, DateOnly today) => new(
        f.Id, f.CaseId, f.Kind, f.Title, f.DueOn, f.DueTime, f.AssignedTo, f.DoneAt is not null, ReferralResponse.Utc(f.DoneAt),
        f.DoneAt is null && f.DueOn < today, f.ReviewId);
}

public sealed record HandoverRequest
{
    /// <summary>User id of the colleague who becomes responsible.</summary>
    public string? To { get; init; }

    public Validation Validate() => new Validation().Text("to", To);
}

public sealed record DeputiesRequest
{
    /// <summary>User ids of the deputies; an empty list removes them all.</summary>
    public List<string?>? Deputies { get; init; }

    public Validation Validate()
    {
        var validation = new Validation().Required("deputies", Deputies);
        var deputies = Deputies ?? [];
        validation.That(deputies.Count <= 5, "deputies", "Höchstens fünf Vertretungen.");
        for (var i = 0; i < deputies.Count; i++)
        {
            validation.Text($"deputies[{i}]", deputies[i]);
        }

        return validation;
    }
}
