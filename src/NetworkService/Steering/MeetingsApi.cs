using System.Security.Claims;
using Kim.Contracts;
using Kim.Contracts.Network;
using Kim.NetworkService.Infrastructure;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Messaging;
using Kim.ServiceDefaults.Persistence;
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

public sealed record ApproveMinutesRequest
{
    /// <summary>The held, quorate meeting after this one in which the steering group approved the minutes.</summary>
    public Guid? ApprovingMeetingId { get; init; }

    public Validation Validate() => new Validation().Required("approvingMeetingId", ApprovingMeetingId);
}

/// <summary>One version of a meeting's minutes.</summary>
public sealed record MinutesVersionResponse(Guid MeetingId, int Version, string Text, DateTime RecordedAt, string RecordedBy, bool Approved)
{
    public static MinutesVersionResponse From(MinutesVersion v, Meeting m) =>
        new(v.MeetingId, v.Version, v.Text, UtcTime.Of(v.RecordedAt), v.RecordedBy, m.MinutesStatus == MinutesStatus.Approved && v.Version == m.MinutesVersion);
}

public sealed record CancelMeetingRequest
{
    public string? Reason { get; init; }

    public Validation Validate() => new Validation().Text("reason", Reason, maxLength: 400);
}

/// <summary>
/// A steering-group meeting with its agenda, attendance, quorum and minutes: <see cref="Minutes"/> is the current text,
/// <see cref="MinutesVersion"/> its number; approved minutes name the meeting that approved them.
/// </summary>
public sealed record MeetingResponse(
    Guid Id, string Title, DateTime ScheduledFor, MeetingStatus Status, IReadOnlyList<AgendaItem> Agenda, IReadOnlyList<Attendance> Attendance,
    string? Minutes, DateTime? HeldAt, int VotingMembers, int VotingMembersPresent, bool Quorate, string? CancellationReason,
    MinutesStatus MinutesStatus, int MinutesVersion, DateTime? MinutesApprovedAt, Guid? MinutesApprovedInMeetingId)
{
    public static MeetingResponse From(Meeting m) => new(
        m.Id, m.Title, UtcTime.Of(m.ScheduledFor), m.Status, m.Agenda, m.Attendance, m.Minutes, UtcTime.Of(m.HeldAt), m.VotingMembers,
        m.VotingMembersPresent, m.Quorate, m.CancellationReason, m.MinutesStatus, m.MinutesVersion, UtcTime.Of(m.MinutesApprovedAt),
        m.MinutesApprovedInMeetingId);
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
        meetings.MapGet("/{id:guid}/minutes/versions", ListMinutesVersions);
        meetings.MapPost("/{id:guid}/minutes/approve", ApproveMinutes).RequireAuthorization(NetworkPolicies.Manage);
        meetings.MapPost("/{id:guid}/cancel", Cancel).RequireAuthorization(NetworkPolicies.Manage);
        meetings.MapPost("/{id:guid}/invitations", InvitationsApi.Send).RequireAuthorization(NetworkPolicies.Manage);
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

        var today = LocalDay.Today(clock);
        if (members.Values.FirstOrDefault(m => m.HasEndedOn(today)) is { } ended)
        {
            return Problems.Conflict("Mitgliedschaft beendet", $"Die Mitgliedschaft von {ended.Name} endete am {ended.EndedOn:dd.MM.yyyy}; das Mitglied nimmt an Sitzungen nicht mehr teil.");
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
        var now = clock.GetUtcNow().UtcDateTime;

        // Members whose membership ended by the day of the meeting count no more for quorum.
        var voting = await db.SteeringMembers.Where(SteeringMember.VotesOn(LocalDay.Of(now))).ToListAsync(cancellationToken);
        var presentIds = meeting.Attendance.Where(a => a.Presence != Presence.Absent).Select(a => a.MemberId).ToHashSet();
        meeting.Status = MeetingStatus.Held;
        meeting.HeldAt = now;
        if (!string.IsNullOrWhiteSpace(request.Minutes))
        {
            AddMinutesVersion(db, meeting, request.Minutes.Trim(), now, user.UserId());
        }

        meeting.VotingMembers = voting.Count;
        meeting.VotingMembersPresent = voting.Count(m => presentIds.Contains(m.Id));
        meeting.Quorate = VotingRules.IsQuorate(meeting.VotingMembers, meeting.VotingMembersPresent, rules.QuorumPercent);

        var organisationIds = await db.SteeringMembers.Where(m => presentIds.Contains(m.Id)).Select(m => m.OrganisationId).ToListAsync(cancellationToken);
        var types = await db.Organisations.Where(o => organisationIds.Contains(o.Id)).Select(o => o.Type).Distinct().ToListAsync(cancellationToken);
        db.AddIntegrationEvent(new MeetingHeld
        {
            MeetingId = meeting.Id,
            HeldOn = LocalDay.Of(now),
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

        if (meeting.MinutesStatus == MinutesStatus.Approved)
        {
            return MinutesApproved(meeting);
        }

        // Every edit of the draft is kept as a new version; sending the current text again changes nothing.
        var text = request.Minutes!.Trim();
        if (text == meeting.Minutes)
        {
            return TypedResults.Ok(MeetingResponse.From(meeting));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        AddMinutesVersion(db, meeting, text, now, user.UserId());
        db.Audit(user, "meeting.minutes-recorded", meeting.Id, now, $"version {meeting.MinutesVersion}");
        if (!await ConcurrentSave.TrySaveAsync(db, cancellationToken))
        {
            return Problems.ConcurrentChange("Gleichzeitig wurde das Protokoll geändert oder genehmigt; laden Sie neu und prüfen Sie den aktuellen Stand.");
        }

        return TypedResults.Ok(MeetingResponse.From(meeting));
    }

    /// <summary>Every version of the meeting's minutes, the first first.</summary>
    public static async Task<Results<Ok<MinutesVersionResponse[]>, ProblemHttpResult>> ListMinutesVersions(
        Guid id, NetworkDbContext db, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (meeting is null)
        {
            return Problems.NotFound("Sitzung nicht gefunden");
        }

        var versions = await db.MinutesVersions.AsNoTracking().Where(v => v.MeetingId == id).OrderBy(v => v.Version).ToArrayAsync(cancellationToken);
        return TypedResults.Ok(versions.Select(v => MinutesVersionResponse.From(v, meeting)).ToArray());
    }

    /// <summary>
    /// Records that a later meeting approved the minutes (Genehmigung des Protokolls): the current version becomes final
    /// and the minutes immutable.
    /// </summary>
    public static async Task<Results<Ok<MeetingResponse>, ValidationProblem, ProblemHttpResult>> ApproveMinutes(
        Guid id, ApproveMinutesRequest request, NetworkDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
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

        var approving = await db.Meetings.AsNoTracking().SingleOrDefaultAsync(m => m.Id == request.ApprovingMeetingId, cancellationToken);
        if (approving is null)
        {
            return validation.Add("approvingMeetingId", "Unbekannte Sitzung.").ToProblem();
        }

        if (meeting.Status != MeetingStatus.Held)
        {
            return Problems.Conflict("Sitzung nicht abgehalten", $"Ein Protokoll gehört zu einer abgehaltenen Sitzung; diese hat den Status {meeting.Status}.");
        }

        if (meeting.MinutesStatus == MinutesStatus.Approved)
        {
            return MinutesApproved(meeting);
        }

        if (meeting.MinutesStatus == MinutesStatus.None)
        {
            return Problems.Conflict("Kein Protokoll", "Für diese Sitzung ist noch kein Protokoll erfasst, das genehmigt werden könnte.");
        }

        if (approving.Status != MeetingStatus.Held || approving.HeldAt <= meeting.HeldAt)
        {
            return Problems.Conflict("Keine spätere Sitzung",
                $"Ein Protokoll genehmigt eine später abgehaltene Sitzung der Lenkungsgruppe; '{approving.Title}' hat den Status {approving.Status}"
                + (approving.HeldAt is { } heldAt ? $" und wurde am {heldAt:dd.MM.yyyy} abgehalten." : "."));
        }

        if (!approving.Quorate)
        {
            return Problems.Conflict("Lenkungsgruppe nicht beschlussfähig",
                $"Nur {approving.VotingMembersPresent} von {approving.VotingMembers} stimmberechtigten Mitgliedern waren in '{approving.Title}' anwesend; die Sitzung konnte das Protokoll nicht genehmigen.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        meeting.MinutesApprovedAt = now;
        meeting.MinutesApprovedInMeetingId = approving.Id;
        meeting.MinutesApprovedBy = user.UserId();
        db.Audit(user, "meeting.minutes-approved", meeting.Id, now, $"version {meeting.MinutesVersion} in {approving.Id}");
        if (!await ConcurrentSave.TrySaveAsync(db, cancellationToken))
        {
            return Problems.ConcurrentChange("Gleichzeitig wurde das Protokoll geändert oder genehmigt; laden Sie neu und prüfen Sie den aktuellen Stand.");
        }

        return TypedResults.Ok(MeetingResponse.From(meeting));
    }

    private static ProblemHttpResult MinutesApproved(Meeting meeting) =>
        Problems.Conflict("Protokoll genehmigt",
            $"Das Protokoll wurde am {meeting.MinutesApprovedAt:dd.MM.yyyy} genehmigt und ist unveränderlich (Fassung {meeting.MinutesVersion}).");

    /// <summary>Records <paramref name="text"/> as the next version and current text of the meeting's minutes.</summary>
    private static void AddMinutesVersion(NetworkDbContext db, Meeting meeting, string text, DateTime now, string userId)
    {
        meeting.MinutesVersion++;
        meeting.Minutes = text;
        db.MinutesVersions.Add(new MinutesVersion { MeetingId = meeting.Id, Version = meeting.MinutesVersion, Text = text, RecordedAt = now, RecordedBy = userId });
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
