using System.Globalization;
using System.Security.Claims;
using System.Text;
using Kim.Contracts;
using Kim.Contracts.Network;
using Kim.NetworkService.Infrastructure;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Persistence;
using Kim.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kim.NetworkService.Steering;

public sealed record TableMotionRequest
{
    public string? Title { get; init; }

    public string? Text { get; init; }

    public MotionKind? Kind { get; init; }

    public Guid? SubjectId { get; init; }

    public Guid? TargetWorkingGroupId { get; init; }

    public ResultDecision? ResultDecision { get; init; }

    public bool? IsBinding { get; init; }

    public Validation Validate() => new Validation()
        .Text("title", Title)
        .Text("text", Text, required: false, maxLength: 4000)
        .Required("kind", Kind)
        .Required("isBinding", IsBinding)
        .That(Kind is null or MotionKind.General || SubjectId is not null, "subjectId", "Pflichtangabe für diese Art von Antrag.")
        .That(Kind is not MotionKind.AssignTheme || TargetWorkingGroupId is not null, "targetWorkingGroupId", "Pflichtangabe, um ein Thema zuzuweisen.")
        .That(Kind is not MotionKind.DecideWorkingGroupResult || ResultDecision is not null, "resultDecision", "Pflichtangabe, um über ein Ergebnis zu entscheiden.");
}

public sealed record MeetingVoteRequest(Guid? MemberId, VoteChoice? Choice, bool? ByDeputy);

public sealed record VoteInMeetingRequest
{
    public Guid? MeetingId { get; init; }

    public IReadOnlyList<MeetingVoteRequest>? Votes { get; init; }

    public Validation Validate()
    {
        var validation = new Validation().Required("meetingId", MeetingId).Required("votes", Votes);
        var votes = Votes ?? [];
        validation.That(Votes is null || votes.Count > 0, "votes", "Mindestens eine Stimme.");
        for (var i = 0; i < votes.Count; i++)
        {
            validation.Required($"votes[{i}].memberId", votes[i].MemberId).Required($"votes[{i}].choice", votes[i].Choice);
        }

        return validation.That(votes.Select(v => v.MemberId).Distinct().Count() == votes.Count, "votes", "Ein Mitglied stimmt höchstens einmal ab.");
    }
}

public sealed record StartCircularRequest
{
    public DateTime? Deadline { get; init; }
}

public sealed record CircularVoteRequest
{
    public VoteChoice? Choice { get; init; }

    public Validation Validate() => new Validation().Required("choice", Choice);
}

public sealed record ObjectionRequest
{
    public string? Reason { get; init; }

    public Validation Validate() => new Validation().Text("reason", Reason, maxLength: 400);
}

public sealed record ImplementationRequest
{
    public ImplementationStatus? Status { get; init; }

    public string? Responsible { get; init; }

    public Validation Validate() => new Validation().Required("status", Status).Text("responsible", Responsible);
}

public sealed record VoteResponse(Guid MemberId, string MemberName, VoteChoice Choice, bool ByDeputy, DateTime CastAt);

public sealed record MotionResponse(
    Guid Id, string Title, string? Text, MotionKind Kind, Guid? SubjectId, Guid? TargetWorkingGroupId, ResultDecision? ResultDecision,
    bool IsBinding, MotionStatus Status, ResolutionProcedure? Procedure, Guid? MeetingId, DateTime? CircularDeadline, int CircularEligible,
    CircularResult? CircularResult, string? CircularObjection, string? RegisterNumber, DateTime? DecidedAt, int Yes, int No, int Abstentions,
    ImplementationStatus Implementation, string? Responsible, string TabledBy, IReadOnlyList<VoteResponse> Votes)
{
    public static MotionResponse From(Motion m, IReadOnlyList<VoteResponse> votes) => new(
        m.Id, m.Title, m.Text, m.Kind, m.SubjectId, m.TargetWorkingGroupId, m.ResultDecision, m.IsBinding, m.Status, m.Procedure, m.MeetingId,
        UtcTime.Of(m.CircularDeadline), m.CircularEligible, m.CircularResult, m.CircularObjection, m.RegisterNumber, UtcTime.Of(m.DecidedAt), m.Yes, m.No,
        m.Abstentions, m.Implementation, m.Responsible, m.TabledBy, votes);

    /// <summary>A ballot whose outcome is final but not yet recorded: its result and votes, without register number and decision time.</summary>
    public MotionResponse WithBallotResult(CircularResult result, Tally tally) => this with
    {
        Status = result == Steering.CircularResult.Adopted ? MotionStatus.Adopted : MotionStatus.Rejected,
        CircularResult = result,
        Yes = tally.Yes,
        No = tally.No,
        Abstentions = tally.Abstentions,
    };
}

public static class MotionsApi
{
    public static RouteGroupBuilder MapMotionsApi(this RouteGroupBuilder steering)
    {
        var motions = steering.MapGroup("/motions").WithTags("Steering group");
        motions.MapPost("/", Table).RequireAuthorization(NetworkPolicies.Manage);
        motions.MapGet("/", List);
        motions.MapGet("/{id:guid}", Get);
        motions.MapPost("/{id:guid}/votes", VoteInMeeting).RequireAuthorization(NetworkPolicies.Manage);
        motions.MapGet("/{id:guid}/votes.csv", VotesCsv);
        motions.MapPost("/{id:guid}/circular", StartCircular).RequireAuthorization(NetworkPolicies.Manage);
        motions.MapPost("/{id:guid}/circular/votes", VoteInCircular).RequireAuthorization(NetworkPolicies.Vote);
        motions.MapPost("/{id:guid}/circular/objection", RaiseObjection).RequireAuthorization(NetworkPolicies.Vote);

        var register = steering.MapGroup("/resolutions").WithTags("Steering group");
        register.MapGet("/", Register);
        register.MapGet("/votes.csv", RegisterCsv);
        register.MapPut("/{id:guid}/implementation", TrackImplementation).RequireAuthorization(NetworkPolicies.Manage);
        return steering;
    }

    public static async Task<Results<Created<MotionResponse>, ValidationProblem, ProblemHttpResult>> Table(
        TableMotionRequest request, NetworkDbContext db, ResolutionService resolutions, TimeProvider clock, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var motion = new Motion
        {
            Id = Guid.CreateVersion7(),
            Title = request.Title!.Trim(),
            Text = request.Text?.Trim(),
            Kind = request.Kind!.Value,
            SubjectId = request.SubjectId,
            TargetWorkingGroupId = request.TargetWorkingGroupId,
            ResultDecision = request.ResultDecision,
            IsBinding = request.IsBinding!.Value,
            Status = MotionStatus.Tabled,
            TabledBy = user.UserId(),
            TabledAt = now,
        };
        if (await resolutions.ObstacleAsync(motion, null, cancellationToken) is { } obstacle)
        {
            return Problems.Conflict("Antrag nicht zulässig", obstacle);
        }

        db.Motions.Add(motion);
        db.Audit(user, "motion.tabled", motion.Id, now, motion.Title);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/network/steering/motions/{motion.Id}", MotionResponse.From(motion, []));
    }

    public static async Task<Ok<MotionResponse[]>> List(MotionStatus? status, NetworkDbContext db, CancellationToken cancellationToken)
    {
        var query = db.Motions.AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(m => m.Status == s);
        }

        var motions = await query.OrderBy(m => m.TabledAt).ToArrayAsync(cancellationToken);
        return TypedResults.Ok(motions.Select(m => MotionResponse.From(m, [])).ToArray());
    }

    public static async Task<Results<Ok<MotionResponse>, ProblemHttpResult>> Get(
        Guid id, NetworkDbContext db, ResolutionService resolutions, TimeProvider clock, CancellationToken cancellationToken)
    {
        var motion = await db.Motions.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (motion is null)
        {
            return Problems.NotFound("Antrag nicht gefunden");
        }

        var response = MotionResponse.From(motion, await VotesAsync(db, id, cancellationToken));
        if (motion.Status != MotionStatus.CircularBallot)
        {
            return TypedResults.Ok(response);
        }

        // A ballot whose deadline passed shows its result at once; reading records nothing, the ballot closer (or the next vote) does.
        var (result, tally) = await resolutions.EvaluateCircularAsync(motion, clock.GetUtcNow().UtcDateTime, cancellationToken);
        return TypedResults.Ok(result == CircularResult.Open ? response : response.WithBallotResult(result, tally));
    }

    public static async Task<Results<Ok<MotionResponse>, ValidationProblem, ProblemHttpResult>> VoteInMeeting(
        Guid id, VoteInMeetingRequest request, NetworkDbContext db, ResolutionService resolutions, TimeProvider clock, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var motion = await db.Motions.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (motion is null)
        {
            return Problems.NotFound("Antrag nicht gefunden");
        }

        var meeting = await db.Meetings.SingleOrDefaultAsync(m => m.Id == request.MeetingId, cancellationToken);
        if (meeting is null)
        {
            return Problems.NotFound("Sitzung nicht gefunden");
        }

        if (motion.Status != MotionStatus.Tabled)
        {
            return Problems.Conflict("Antrag nicht offen", $"Der Antrag hat den Status {motion.Status}; abgestimmt wird nur über einen offenen Antrag.");
        }

        if (meeting.Status != MeetingStatus.Held)
        {
            return Problems.Conflict("Sitzung nicht abgehalten", $"Abgestimmt wird in einer abgehaltenen Sitzung; diese Sitzung hat den Status {meeting.Status}.");
        }

        if (!meeting.Agenda.Any(a => a.Kind == AgendaItemKind.Motion && a.ReferenceId == motion.Id))
        {
            return Problems.Conflict("Antrag nicht auf der Tagesordnung", "Der Antrag steht nicht auf der Tagesordnung dieser Sitzung.");
        }

        if (!meeting.Quorate)
        {
            return Problems.Conflict("Lenkungsgruppe nicht beschlussfähig",
                $"Nur {meeting.VotingMembersPresent} von {meeting.VotingMembers} stimmberechtigten Mitgliedern waren anwesend; die Sitzung ist nicht beschlussfähig.");
        }

        var rules = await resolutions.RulesInForceAsync(cancellationToken);
        if (await resolutions.ObstacleAsync(motion, rules, cancellationToken) is { } obstacle)
        {
            return Problems.Conflict("Antrag nicht beschließbar", obstacle);
        }

        var memberIds = request.Votes!.Select(v => v.MemberId!.Value).ToList();
        var members = await db.SteeringMembers.Where(m => memberIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, cancellationToken);
        var presence = memberIds.Select(m => VotingRules.PresenceOf(meeting.Attendance, m)).ToList();

        // Who votes is fixed by the day the meeting was held: a membership that had ended by then has no vote in it.
        var heldOn = LocalDay.Of(meeting.HeldAt!.Value);
        var casts = request.Votes!
            .Select((v, i) => new MeetingVoteCast(members.GetValueOrDefault(memberIds[i])?.CanVoteOn(heldOn) == true, presence[i], v.ByDeputy))
            .ToList();
        if (VotingRules.CheckMeetingVotes(casts) is { } refused)
        {
            var memberId = memberIds[refused.Index];
            return refused.Refusal switch
            {
                MeetingVoteRefusal.NoVotingRight => Problems.Forbidden("Kein stimmberechtigtes Mitglied", $"{memberId} ist kein stimmberechtigtes Mitglied der Lenkungsgruppe."),
                MeetingVoteRefusal.Absent => Problems.Conflict("Mitglied nicht anwesend",
                    $"{members[memberId].Name} war weder anwesend noch durch die Stellvertretung vertreten und kann nicht abstimmen."),
                MeetingVoteRefusal.DeputyWhileMemberPresent => Problems.Conflict("Stellvertretung nicht stimmberechtigt",
                    $"{members[memberId].Name} war anwesend; die Stellvertretung stimmt nur ab, wenn das Mitglied fehlt."),
                _ => Problems.Conflict("Mitglied vertreten", $"{members[memberId].Name} wurde von der Stellvertretung vertreten, die diese Stimme abgibt."),
            };
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var votes = request.Votes!.Select((cast, i) => new Vote
        {
            Id = Guid.CreateVersion7(),
            MotionId = motion.Id,
            MemberId = memberIds[i],
            Choice = cast.Choice!.Value,
            ByDeputy = VotingRules.CastByDeputy(presence[i]),
            CastAt = now,
            RecordedBy = user.UserId(),
        }).ToList();

        var tally = Tally.Of(votes.Select(v => v.Choice));
        motion.MeetingId = meeting.Id;
        motion.Majority = rules.Majority;
        db.Votes.AddRange(votes);
        await resolutions.DecideAsync(motion, tally, VotingRules.Decide(rules.Majority, tally), ResolutionProcedure.Meeting, now, cancellationToken);
        db.Audit(user, "motion.voted-in-meeting", motion.Id, now, $"{motion.Status} {tally.Yes}/{tally.No}/{tally.Abstentions} {motion.RegisterNumber}");
        if (!await ConcurrentSave.TrySaveAsync(db, cancellationToken))
        {
            return ConcurrentChange();
        }

        return TypedResults.Ok(MotionResponse.From(motion, await VotesAsync(db, id, cancellationToken)));
    }

    public static async Task<Results<Ok<MotionResponse>, ValidationProblem, ProblemHttpResult>> StartCircular(
        Guid id, StartCircularRequest request, NetworkDbContext db, ResolutionService resolutions, TimeProvider clock, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var validation = new Validation().That(request.Deadline is null || request.Deadline.Value.ToUniversalTime() > now, "deadline", "Muss in der Zukunft liegen.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var motion = await db.Motions.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (motion is null)
        {
            return Problems.NotFound("Antrag nicht gefunden");
        }

        if (motion.Status != MotionStatus.Tabled)
        {
            return Problems.Conflict("Antrag nicht offen", $"Der Antrag hat den Status {motion.Status}; nur ein offener Antrag kann ins Umlaufverfahren gehen.");
        }

        if (motion.CircularObjectedBy is not null)
        {
            return Problems.Conflict("Umlaufverfahren widersprochen", "Ein Mitglied hat dem Umlaufverfahren widersprochen; über den Antrag wird in einer Sitzung entschieden.");
        }

        var rules = await resolutions.RulesInForceAsync(cancellationToken);
        if (!rules.CircularAllowed)
        {
            return Problems.Conflict("Umlaufverfahren nicht zugelassen", "Die geltende Geschäftsordnung lässt keine Umlaufbeschlüsse zu.");
        }

        if (await resolutions.ObstacleAsync(motion, rules, cancellationToken) is { } obstacle)
        {
            return Problems.Conflict("Antrag nicht beschließbar", obstacle);
        }

        var eligible = await resolutions.VotingMembersAsync(LocalDay.Of(now), cancellationToken);
        if (eligible.Count == 0)
        {
            return Problems.Conflict("Keine stimmberechtigten Mitglieder", "Die Lenkungsgruppe hat keine stimmberechtigten Mitglieder.");
        }

        motion.Revision++;
        motion.Status = MotionStatus.CircularBallot;
        motion.Procedure = ResolutionProcedure.Circular;
        motion.CircularDeadline = request.Deadline?.ToUniversalTime() ?? now.AddDays(rules.CircularDeadlineDays);
        motion.CircularEligible = eligible.Count;
        motion.CircularEligibleMembers = eligible;
        motion.CircularParticipationPercent = rules.CircularParticipationPercent;
        motion.Majority = rules.Majority;
        db.Audit(user, "motion.circular-started", motion.Id, now, $"deadline {motion.CircularDeadline:O}");
        if (!await ConcurrentSave.TrySaveAsync(db, cancellationToken))
        {
            return ConcurrentChange();
        }

        return TypedResults.Ok(MotionResponse.From(motion, []));
    }

    public static async Task<Results<Ok<MotionResponse>, ValidationProblem, ProblemHttpResult>> VoteInCircular(
        Guid id, CircularVoteRequest request, NetworkDbContext db, ResolutionService resolutions, TimeProvider clock, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var (motion, member, refusal) = await OpenBallotAsync(id, db, resolutions, clock, user, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (await db.Votes.AnyAsync(v => v.MotionId == id && v.MemberId == member!.Id, cancellationToken))
        {
            return Problems.Conflict("Bereits abgestimmt", "Jedes Mitglied stimmt im Umlaufverfahren einmal ab.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        db.Votes.Add(new Vote
        {
            Id = Guid.CreateVersion7(),
            MotionId = id,
            MemberId = member!.Id,
            Choice = request.Choice!.Value,
            CastAt = now,
            RecordedBy = user.UserId(),
        });
        db.Audit(user, "motion.circular-vote", id, now, request.Choice.Value.ToString());
        if (!await ConcurrentSave.TrySaveAsync(db, cancellationToken))
        {
            return ConcurrentChange();
        }

        // Another request may close the ballot at the same moment; then its result stands.
        if (await resolutions.SettleCircularAsync(motion!, now, cancellationToken) && !await ConcurrentSave.TrySaveAsync(db, cancellationToken))
        {
            motion = await db.Motions.AsNoTracking().SingleAsync(m => m.Id == id, cancellationToken);
        }

        return TypedResults.Ok(MotionResponse.From(motion!, await VotesAsync(db, id, cancellationToken)));
    }

    public static async Task<Results<Ok<MotionResponse>, ValidationProblem, ProblemHttpResult>> RaiseObjection(
        Guid id, ObjectionRequest request, NetworkDbContext db, ResolutionService resolutions, TimeProvider clock, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var (motion, member, refusal) = await OpenBallotAsync(id, db, resolutions, clock, user, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var discarded = await db.Votes.Where(v => v.MotionId == id).ToListAsync(cancellationToken);
        db.Votes.RemoveRange(discarded);
        motion!.Revision++;
        motion.Status = MotionStatus.Tabled;
        motion.Procedure = null;
        motion.CircularDeadline = null;
        motion.CircularObjectedBy = member!.Id;
        motion.CircularObjection = request.Reason!.Trim();
        var next = await db.Meetings.Where(m => m.Status == MeetingStatus.Planned && m.ScheduledFor >= now)
            .OrderBy(m => m.ScheduledFor).FirstOrDefaultAsync(cancellationToken);
        motion.MeetingId = next?.Id;
        if (next is not null && !next.Agenda.Any(a => a.ReferenceId == motion.Id))
        {
            next.Agenda = [.. next.Agenda, new AgendaItem(next.Agenda.Count + 1, AgendaItemKind.Motion, motion.Title, motion.Id)];
        }

        db.Audit(user, "motion.circular-objected", id, now, motion.CircularObjection);
        if (!await ConcurrentSave.TrySaveAsync(db, cancellationToken))
        {
            return ConcurrentChange();
        }

        return TypedResults.Ok(MotionResponse.From(motion, []));
    }

    public static async Task<Ok<MotionResponse[]>> Register(NetworkDbContext db, CancellationToken cancellationToken)
    {
        var adopted = await db.Motions.AsNoTracking().Where(m => m.Status == MotionStatus.Adopted).ToArrayAsync(cancellationToken);
        return TypedResults.Ok(adopted.OrderBy(m => m.DecidedAt).ThenBy(m => m.RegisterNumber, StringComparer.Ordinal)
            .Select(m => MotionResponse.From(m, [])).ToArray());
    }

    public static async Task<Results<Ok<MotionResponse>, ValidationProblem, ProblemHttpResult>> TrackImplementation(
        Guid id, ImplementationRequest request, NetworkDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var motion = await db.Motions.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (motion is null)
        {
            return Problems.NotFound("Beschluss nicht gefunden");
        }

        if (motion.Status != MotionStatus.Adopted)
        {
            return Problems.Conflict("Kein Beschluss", $"Umgesetzt werden nur gefasste Beschlüsse; dieser Antrag hat den Status {motion.Status}.");
        }

        motion.Implementation = request.Status!.Value;
        motion.Responsible = request.Responsible!.Trim();
        db.Audit(user, "resolution.implementation", id, clock.GetUtcNow().UtcDateTime, $"{motion.Implementation} {motion.Responsible}");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(MotionResponse.From(motion, []));
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> VotesCsv(Guid id, NetworkDbContext db, CancellationToken cancellationToken)
    {
        var motion = await db.Motions.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (motion is null)
        {
            return Problems.NotFound("Antrag nicht gefunden");
        }

        var csv = new StringBuilder();
        Csv.Line(csv, "Beschlussnummer", "Antrag", "Mitglied", "Stimme", "Stellvertretung", "Zeitpunkt (UTC)");
        foreach (var vote in await VotesAsync(db, id, cancellationToken))
        {
            Csv.Line(csv, motion.RegisterNumber ?? "", motion.Title, vote.MemberName, SteeringCsv.Choice(vote.Choice), vote.ByDeputy ? "ja" : "nein",
                vote.CastAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        }

        return TypedResults.File(Csv.Encode(csv), "text/csv; charset=utf-8", $"stimmen-{motion.RegisterNumber ?? motion.Id.ToString()}.csv");
    }

    public static async Task<FileContentHttpResult> RegisterCsv(NetworkDbContext db, CancellationToken cancellationToken)
    {
        var decided = await db.Motions.AsNoTracking().Where(m => m.DecidedAt != null).ToArrayAsync(cancellationToken);
        var csv = new StringBuilder();
        Csv.Line(csv, "Beschlussnummer", "Titel", "Verfahren", "Ergebnis", "Ja", "Nein", "Enthaltungen", "Verbindlich", "Entschieden am", "Umsetzung", "Verantwortlich");
        foreach (var m in decided.OrderBy(m => m.DecidedAt))
        {
            Csv.Line(csv, m.RegisterNumber ?? "", m.Title, m.Procedure == ResolutionProcedure.Circular ? "Umlaufverfahren" : "Sitzung",
                m.Status == MotionStatus.Adopted ? "angenommen" : "abgelehnt", m.Yes.ToString(CultureInfo.InvariantCulture),
                m.No.ToString(CultureInfo.InvariantCulture), m.Abstentions.ToString(CultureInfo.InvariantCulture), m.IsBinding ? "ja" : "nein",
                m.DecidedAt!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                m.Status == MotionStatus.Adopted ? SteeringCsv.Implementation(m.Implementation) : "", m.Responsible ?? "");
        }

        return TypedResults.File(Csv.Encode(csv), "text/csv; charset=utf-8", "beschlussregister.csv");
    }

    private static async Task<(Motion? Motion, SteeringMember? Member, ProblemHttpResult? Refusal)> OpenBallotAsync(
        Guid id, NetworkDbContext db, ResolutionService resolutions, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var motion = await db.Motions.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (motion is null)
        {
            return (null, null, Problems.NotFound("Antrag nicht gefunden"));
        }

        // The member is the person, subject and tenant together: the same subject signed in at another tenant is someone else.
        var userId = user.UserId();
        var tenant = KimClaims.SingleTenant(user);
        var member = tenant is null ? null
            : await db.SteeringMembers.SingleOrDefaultAsync(m => m.UserId == userId && m.UserTenant == tenant && m.HasVotingRight, cancellationToken);
        if (member is null)
        {
            return (motion, null, Problems.Forbidden("Kein stimmberechtigtes Mitglied", "Am Umlaufverfahren nehmen nur stimmberechtigte Mitglieder der Lenkungsgruppe teil."));
        }

        if (member.HasEndedOn(LocalDay.Today(clock)))
        {
            return (motion, member, Problems.Forbidden("Mitgliedschaft beendet",
                $"Die Mitgliedschaft von {member.Name} in der Lenkungsgruppe endete am {member.EndedOn:dd.MM.yyyy}; seitdem stimmt das Mitglied nicht mehr ab."));
        }

        // Checked before anything is settled: a refused member's request must not even close an expired ballot.
        if (motion.Status == MotionStatus.CircularBallot && !CircularBallot.IsEligible(motion.CircularEligibleMembers, member.Id))
        {
            return (motion, member, Problems.Forbidden("Nicht stimmberechtigt",
                $"{member.Name} ist erst nach dem Beginn des Umlaufverfahrens stimmberechtigt geworden; abstimmen und widersprechen können nur "
                + $"die {motion.CircularEligible} Mitglieder, die zu Beginn des Umlaufverfahrens stimmberechtigt waren."));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (await resolutions.SettleCircularAsync(motion, now, cancellationToken))
        {
            if (!await ConcurrentSave.TrySaveAsync(db, cancellationToken))
            {
                return (motion, member, ConcurrentChange());
            }

            return (motion, member, !CircularBallot.AcceptsVotes(motion.CircularDeadline!.Value, now)
                ? Problems.Conflict("Frist abgelaufen", $"Das Umlaufverfahren endete mit Ablauf der Frist am {motion.CircularDeadline:dd.MM.yyyy HH:mm} UTC; verspätete Stimmen zählen nicht.")
                : Problems.Conflict("Umlaufverfahren abgeschlossen", "Das Ergebnis steht bereits fest; das Umlaufverfahren ist abgeschlossen."));
        }

        if (motion.Status != MotionStatus.CircularBallot)
        {
            return (motion, member, Problems.Conflict("Kein laufendes Umlaufverfahren", $"Der Antrag hat den Status {motion.Status} und ist in keinem Umlaufverfahren."));
        }

        return (motion, member, null);
    }

    private static ProblemHttpResult ConcurrentChange() =>
        Problems.ConcurrentChange("Der Antrag wurde gleichzeitig von anderer Seite geändert; laden Sie ihn neu und versuchen Sie es noch einmal.");

    private static async Task<List<VoteResponse>> VotesAsync(NetworkDbContext db, Guid motionId, CancellationToken cancellationToken)
    {
        var votes = await db.Votes.AsNoTracking().Where(v => v.MotionId == motionId)
            .Join(db.SteeringMembers, v => v.MemberId, m => m.Id, (v, m) => new { v, m.Name })
            .ToListAsync(cancellationToken);
        return votes.OrderBy(x => x.Name, StringComparer.Ordinal)
            .Select(x => new VoteResponse(x.v.MemberId, x.Name, x.v.Choice, x.v.ByDeputy, DateTime.SpecifyKind(x.v.CastAt, DateTimeKind.Utc))).ToList();
    }
}

/// <summary>The words of the steering group's CSV files (written by the services' one CSV writer, <see cref="Csv"/>).</summary>
internal static class SteeringCsv
{
    public static string Choice(VoteChoice choice) => choice switch
    {
        VoteChoice.Yes => "Ja",
        VoteChoice.No => "Nein",
        _ => "Enthaltung",
    };

    /// <summary>The implementation status in the words of the register page.</summary>
    public static string Implementation(ImplementationStatus status) => status switch
    {
        ImplementationStatus.Done => "umgesetzt",
        ImplementationStatus.InProgress => "in Umsetzung",
        _ => "offen",
    };
}
