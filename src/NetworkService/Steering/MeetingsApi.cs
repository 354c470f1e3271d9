using System.Security.Claims;
using Kim.Contracts;
using Kim.Contracts.Network;
using Kim.NetworkService.Infrastructure;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kim.NetworkService.Steering;

public sealed record AgendaItemRequest(AgendaItemKind? Kind, string? Title, Guid? ReferenceId);

public sealed record PlanMeetingRequest
{
    public string? Title { get; init; }

    public DateTime? ScheduledFor { get; init; }

    public IReadOnlyList<AgendaItemRequest>? Agenda { get; init; }

    public Validation Validate()
    {
        var validation = new Validation().Text("title", Title).Required("scheduledFor", ScheduledFor);
        var agenda = Agenda ?? [];
        for (var i = 0; i < agenda.Count; i++)
        {
            validation.Required($"agenda[{i}].kind", agenda[i].Kind)
                .Text($"agenda[{i}].title", agenda[i].Title)
                .That(agenda[i].Kind is null or AgendaItemKind.Other || agenda[i].ReferenceId is not null, $"agenda[{i}].referenceId", "Pflichtangabe für diese Art von Tagesordnungspunkt.");
        }

        return validation;
    }
}

public sealed record AttendanceRequest(Guid? MemberId, Presence? Presence);

public sealed record RecordAttendanceRequest
{
    public IReadOnlyList<AttendanceRequest>? Attendance { get; init; }

    public Validation Validate()
    {
        var validation = new Validation().Required("attendance", Attendance);
        var items = Attendance ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            validation.Required($"attendance[{i}].memberId", items[i].MemberId).Required($"attendance[{i}].presence", items[i].Presence);
        }

        return validation.That(items.Select(a => a.MemberId).Distinct().Count() == items.Count, "attendance", "Ein Mitglied ist doppelt aufgeführt.");
    }
}

public sealed record MinutesRequest
{
    public string? Minutes { get; init; }

    public Validation Validate() => new Validation().Text("minutes", Paragraphs(Minutes), required: false, maxLength: 20_000);

    /// <summary>Minutes are written in paragraphs: line breaks are allowed, other control characters are not.</summary>
    public static string? Paragraphs(string? text) => text?.Replace('\r', ' ').Replace('\n', ' ');
}

public sealed record CancelMeetingRequest
{
    public string? Reason { get; init; }

    public Validation Validate() => new Validation().Text("reason", Reason, maxLength: 400);
}

/// <summary>A steering-group meeting with its agenda, attendance, quorum and minutes.</summary>
public sealed record MeetingResponse(
    Guid Id, string Title, DateTime ScheduledFor, MeetingStatus Status, IReadOnlyList<AgendaItem> Agenda, IReadOnlyList<Attendance> Attendance,
    string? Minutes, DateTime? HeldAt, int VotingMembers, int VotingMembersPresent, bool Quorate, string? CancellationReason)
{
    public static MeetingResponse From(Meeting m) => new(
        m.Id, m.Title, UtcTime.Of(m.ScheduledFor), m.Status, m.Agenda, m.Attendance, m.Minutes, UtcTime.Of(m.HeldAt), m.VotingMembers,
        m.VotingMembersPresent, m.Quorate, m.CancellationReason);
}

public static class MeetingsApi
{
    public static RouteGroupBuilder MapMeetingsApi(this RouteGroupBuilder steering)
    {
        var meetings = steering.MapGroup("/meetings").WithTags("Steering group");
        meetings.MapPost("/", Plan).RequireAuthorization(NetworkPolicies.Manage);
        meetings.MapGet("/", List);
        meetings.MapGet("/{id:guid}", Get);
        meetings.MapPut("/{id:guid}/attendance", RecordAttendance).RequireAuthorization(NetworkPolicies.Manage);
        meetings.MapPost("/{id:guid}/hold", Hold).RequireAuthorization(NetworkPolicies.Manage);
        meetings.MapPut("/{id:guid}/minutes", RecordMinutes).RequireAuthorization(NetworkPolicies.Manage);
        meetings.MapPost("/{id:guid}/cancel", Cancel).RequireAuthorization(NetworkPolicies.Manage);
        return steering;
    }

    public static async Task<Results<Created<MeetingResponse>, ValidationProblem, ProblemHttpResult>> Plan(
        PlanMeetingRequest request, NetworkDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var agenda = (request.Agenda ?? []).Select((a, i) => new AgendaItem(i + 1, a.Kind!.Value, a.Title!.Trim(), a.ReferenceId)).ToList();
        var motionIds = agenda.Where(a => a.Kind == AgendaItemKind.Motion).Select(a => a.ReferenceId!.Value).ToList();
        var motions = await db.Motions.Where(m => motionIds.Contains(m.Id)).ToListAsync(cancellationToken);
        foreach (var missing in motionIds.Except(motions.Select(m => m.Id)))
        {
            validation.Add("agenda", $"Unbekannter Antrag {missing}.");
        }

        var themeIds = agenda.Where(a => a.Kind == AgendaItemKind.Theme).Select(a => a.ReferenceId!.Value).ToList();
        var knownThemes = await db.Themes.Where(t => themeIds.Contains(t.Id)).Select(t => t.Id).ToListAsync(cancellationToken);
        foreach (var missing in themeIds.Except(knownThemes))
        {
            validation.Add("agenda", $"Unbekanntes Thema {missing}.");
        }

        var resultIds = agenda.Where(a => a.Kind == AgendaItemKind.WorkingGroupResult).Select(a => a.ReferenceId!.Value).ToList();
        var knownResults = await db.WorkingGroupResults.Where(r => resultIds.Contains(r.Id)).Select(r => r.Id).ToListAsync(cancellationToken);
        foreach (var missing in resultIds.Except(knownResults))
        {
            validation.Add("agenda", $"Unbekanntes Arbeitsgruppenergebnis {missing}.");
        }

        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        if (motions.FirstOrDefault(m => m.Status != MotionStatus.Tabled) is { } decided)
        {
            return Problems.Conflict("Antrag nicht offen", $"Der Antrag '{decided.Title}' hat den Status {decided.Status}; nur offene Anträge kommen auf die Tagesordnung.");
        }

        var meeting = new Meeting
        {
            Id = Guid.CreateVersion7(),
            Title = request.Title!.Trim(),
            ScheduledFor = DateTime.SpecifyKind(request.ScheduledFor!.Value.ToUniversalTime(), DateTimeKind.Utc),
            Status = MeetingStatus.Planned,
        };

        // Motions whose circular ballot was objected to wait for the next meeting.
        var waiting = await db.Motions.Where(m => m.Status == MotionStatus.Tabled && m.CircularObjectedBy != null && m.MeetingId == null)
            .ToListAsync(cancellationToken);
        foreach (var motion in waiting.Where(w => !motionIds.Contains(w.Id)))
        {
            agenda.Add(new AgendaItem(agenda.Count + 1, AgendaItemKind.Motion, motion.Title, motion.Id));
            motions.Add(motion);
        }

        motions.ForEach(m => m.MeetingId = meeting.Id);
        meeting.Agenda = agenda;
        db.Meetings.Add(meeting);
        var now = clock.GetUtcNow().UtcDateTime;
        db.Audit(user, "meeting.planned", meeting.Id, now, meeting.Title);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/network/steering/meetings/{meeting.Id}", MeetingResponse.From(meeting));
    }

    public static async Task<Ok<MeetingResponse[]>> List(NetworkDbContext db, CancellationToken cancellationToken)
    {
        var meetings = await db.Meetings.AsNoTracking().OrderByDescending(m => m.ScheduledFor).ToArrayAsync(cancellationToken);
        return TypedResults.Ok(meetings.Select(MeetingResponse.From).ToArray());
    }

    public static async Task<Results<Ok<MeetingResponse>, ProblemHttpResult>> Get(Guid id, NetworkDbContext db, CancellationToken cancellationToken) =>
        await db.Meetings.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken) is { } meeting
            ? TypedResults.Ok(MeetingResponse.From(meeting))
            : Problems.NotFound("Sitzung nicht gefunden");

    public static async Task<Results<Ok<MeetingResponse>, ValidationProblem, ProblemHttpResult>> RecordAttendance(
        Guid id, RecordAttendanceRequest request, NetworkDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var meeting = await db.Meetings.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (meeting is null)
        {
            return Problems.NotFound("Sitzung nicht gefunden");
        }

        var ids = request.Attendance!.Select(a => a.MemberId!.Value).ToList();
        var members = await db.SteeringMembers.Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, cancellationToken);
        foreach (var unknown in ids.Where(i => !members.ContainsKey(i)))
        {
            validation.Add("attendance", $"Unbekanntes Mitglied {unknown}.");
        }

        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        if (meeting.Status != MeetingStatus.Planned)
        {
            return Problems.Conflict("Sitzung nicht geplant", $"Die Anwesenheit wird erfasst, bevor die Sitzung geschlossen wird; diese Sitzung hat den Status {meeting.Status}.");
        }

        if (request.Attendance!.FirstOrDefault(a => a.Presence == Presence.RepresentedByDeputy && members[a.MemberId!.Value].DeputyUserId is null) is { } noDeputy)
        {
            return Problems.Conflict("Keine Stellvertretung benannt", $"{members[noDeputy.MemberId!.Value].Name} hat keine Stellvertretung, die teilnehmen könnte.");
        }

        meeting.Attendance = request.Attendance!.Select(a => new Attendance(a.MemberId!.Value, a.Presence!.Value)).ToList();
        db.Audit(user, "meeting.attendance-recorded", meeting.Id, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(MeetingResponse.From(meeting));
    }

    public static async Task<Results<Ok<MeetingResponse>, ValidationProblem, ProblemHttpResult>> Hold(
        Guid id, MinutesRequest request, NetworkDbContext db, ResolutionService resolutions, TimeProvider clock, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var meeting = await db.Meetings.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (meeting is null)
        {
            return Problems.NotFound("Sitzung nicht gefunden");
        }

        if (meeting.Status != MeetingStatus.Planned)
        {
            return Problems.Conflict("Sitzung nicht geplant", $"Nur eine geplante Sitzung kann abgehalten werden; diese hat den Status {meeting.Status}.");
        }

        var rules = await resolutions.RulesInForceAsync(cancellationToken);
        var voting = await db.SteeringMembers.Where(SteeringMember.Votes).ToListAsync(cancellationToken);
        var presentIds = meeting.Attendance.Where(a => a.Presence != Presence.Absent).Select(a => a.MemberId).ToHashSet();
        var now = clock.GetUtcNow().UtcDateTime;
        meeting.Status = MeetingStatus.Held;
        meeting.HeldAt = now;
        meeting.Minutes = request.Minutes?.Trim();
        meeting.VotingMembers = voting.Count;
        meeting.VotingMembersPresent = voting.Count(m => presentIds.Contains(m.Id));
        meeting.Quorate = VotingRules.IsQuorate(meeting.VotingMembers, meeting.VotingMembersPresent, rules.QuorumPercent);

        var organisationIds = await db.SteeringMembers.Where(m => presentIds.Contains(m.Id)).Select(m => m.OrganisationId).ToListAsync(cancellationToken);
        var types = await db.Organisations.Where(o => organisationIds.Contains(o.Id)).Select(o => o.Type).Distinct().ToListAsync(cancellationToken);
        db.AddIntegrationEvent(new MeetingHeld
        {
            MeetingId = meeting.Id,
            HeldOn = DateOnly.FromDateTime(now),
            VotingMembers = meeting.VotingMembers,
            VotingMembersPresent = meeting.VotingMembersPresent,
            Quorate = meeting.Quorate,
            RepresentedTypes = types.OrderBy(t => t).ToList<OrganisationType>(),
            OccurredAt = now,
        }, now);
        db.Audit(user, "meeting.held", meeting.Id, now, meeting.Quorate ? "quorate" : "not quorate");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(MeetingResponse.From(meeting));
    }

    public static async Task<Results<Ok<MeetingResponse>, ValidationProblem, ProblemHttpResult>> RecordMinutes(
        Guid id, MinutesRequest request, NetworkDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var validation = request.Validate().Text("minutes", MinutesRequest.Paragraphs(request.Minutes), maxLength: 20_000);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var meeting = await db.Meetings.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (meeting is null)
        {
            return Problems.NotFound("Sitzung nicht gefunden");
        }

        if (meeting.Status != MeetingStatus.Held)
        {
            return Problems.Conflict("Sitzung nicht abgehalten", $"Ein Protokoll gehört zu einer abgehaltenen Sitzung; diese hat den Status {meeting.Status}.");
        }

        meeting.Minutes = request.Minutes!.Trim();
        db.Audit(user, "meeting.minutes-recorded", meeting.Id, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(MeetingResponse.From(meeting));
    }

    public static async Task<Results<Ok<MeetingResponse>, ValidationProblem, ProblemHttpResult>> Cancel(
        Guid id, CancelMeetingRequest request, NetworkDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var meeting = await db.Meetings.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (meeting is null)
        {
            return Problems.NotFound("Sitzung nicht gefunden");
        }

        if (meeting.Status != MeetingStatus.Planned)
        {
            return Problems.Conflict("Sitzung nicht geplant", $"Nur eine geplante Sitzung kann abgesagt werden; diese hat den Status {meeting.Status}.");
        }

        meeting.Status = MeetingStatus.Cancelled;
        meeting.CancellationReason = request.Reason!.Trim();
        var motions = await db.Motions.Where(m => m.MeetingId == meeting.Id && m.Status == MotionStatus.Tabled).ToListAsync(cancellationToken);
        motions.ForEach(m => m.MeetingId = null);
        db.Audit(user, "meeting.cancelled", meeting.Id, clock.GetUtcNow().UtcDateTime, meeting.CancellationReason);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(MeetingResponse.From(meeting));
    }
}
