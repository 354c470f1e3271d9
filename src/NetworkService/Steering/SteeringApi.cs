using System.Security.Claims;
using Kim.Contracts;
using Kim.NetworkService.Infrastructure;
using Kim.NetworkService.Notifications;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kim.NetworkService.Steering;

public sealed record AddMemberRequest
{
    public Guid? OrganisationId { get; init; }

    public string? Name { get; init; }

    public string? UserId { get; init; }

    /// <summary>The tenant the member signs in at (as the identity provider lists the person).</summary>
    public string? UserTenant { get; init; }

    public bool? HasVotingRight { get; init; }

    public string? DeputyName { get; init; }

    public string? DeputyUserId { get; init; }

    /// <summary>The tenant the deputy signs in at; required with <see cref="DeputyUserId"/>.</summary>
    public string? DeputyTenant { get; init; }

    /// <summary>Where invitations to the member go (optional).</summary>
    public string? Email { get; init; }

    /// <summary>Where invitations to the deputy go (optional; only with a deputy).</summary>
    public string? DeputyEmail { get; init; }

    public Validation Validate() => new Validation()
        .Required("organisationId", OrganisationId)
        .Text("name", Name)
        .Text("userId", UserId)
        .Text("userTenant", UserTenant, maxLength: 100)
        .Required("hasVotingRight", HasVotingRight)
        .Deputy(DeputyName, DeputyUserId, DeputyTenant)
        .Emails(Email, DeputyEmail, DeputyName)
        .That(!SteeringPerson.Same(DeputyUserId, DeputyTenant, UserId, UserTenant), "deputyUserId", "Die Stellvertretung muss eine andere Person sein.");
}

public sealed record DraftRulesRequest
{
    public int? QuorumPercent { get; init; }

    public MajorityRule? Majority { get; init; }

    public bool? CircularAllowed { get; init; }

    public int? CircularDeadlineDays { get; init; }

    public int? CircularParticipationPercent { get; init; }

    public Validation Validate() => new Validation()
        .Required("quorumPercent", QuorumPercent)
        .That(QuorumPercent is null or (>= 1 and <= 100), "quorumPercent", "Zwischen 1 und 100.")
        .Required("majority", Majority)
        .Required("circularAllowed", CircularAllowed)
        .That(CircularAllowed != true || CircularDeadlineDays is not null, "circularDeadlineDays", "Pflichtangabe, wenn Umlaufbeschlüsse zugelassen sind.")
        .That(CircularDeadlineDays is null or (>= 1 and <= 90), "circularDeadlineDays", "Zwischen 1 und 90.")
        .That(CircularAllowed != true || CircularParticipationPercent is not null, "circularParticipationPercent", "Pflichtangabe, wenn Umlaufbeschlüsse zugelassen sind.")
        .That(CircularParticipationPercent is null or (>= 1 and <= 100), "circularParticipationPercent", "Zwischen 1 und 100.");
}

public sealed record UpdateMemberRequest
{
    public bool? HasVotingRight { get; init; }

    /// <summary>
    /// The tenant the member signs in at: set only for a member recorded without one (before tenants were recorded), who
    /// votes again from then on; a member's recorded tenant does not change (record the other person anew instead).
    /// </summary>
    public string? UserTenant { get; init; }

    public string? DeputyName { get; init; }

    public string? DeputyUserId { get; init; }

    /// <summary>The tenant the deputy signs in at; required with <see cref="DeputyUserId"/>.</summary>
    public string? DeputyTenant { get; init; }

    /// <summary>Where invitations to the member go; null removes the address.</summary>
    public string? Email { get; init; }

    /// <summary>Where invitations to the deputy go (only with a deputy); null removes the address.</summary>
    public string? DeputyEmail { get; init; }

    public Validation Validate(SteeringMember member) => new Validation()
        .Required("hasVotingRight", HasVotingRight)
        .Emails(Email, DeputyEmail, DeputyName)
        .Text("userTenant", UserTenant, required: false, maxLength: 100)
        .That(string.IsNullOrWhiteSpace(UserTenant) || member.UserTenant.Length == 0 || string.Equals(UserTenant.Trim(), member.UserTenant, StringComparison.Ordinal),
            "userTenant", "Der Mandant eines Mitglieds ändert sich nicht; erfassen Sie eine andere Person als neues Mitglied.")
        .Deputy(DeputyName, DeputyUserId, DeputyTenant)
        .That(string.IsNullOrWhiteSpace(DeputyUserId) || !string.IsNullOrWhiteSpace(DeputyName), "deputyName", "Pflichtangabe bei einer Stellvertretung.")
        .That(!SteeringPerson.Same(DeputyUserId, DeputyTenant, member.UserId, TenantAfter(member)), "deputyUserId", "Die Stellvertretung muss eine andere Person sein.");

    /// <summary>The member's tenant after this change: the recorded one, or the one set for a member recorded without.</summary>
    public string TenantAfter(SteeringMember member) =>
        member.UserTenant.Length > 0 || string.IsNullOrWhiteSpace(UserTenant) ? member.UserTenant : UserTenant.Trim();
}

public sealed record EndMembershipRequest
{
    /// <summary>The first day on which the person is no longer a member (today or later).</summary>
    public DateOnly? EndedOn { get; init; }

    public MembershipEndReason? Reason { get; init; }

    public string? Note { get; init; }

    public Validation Validate(DateOnly today) => new Validation()
        .Required("endedOn", EndedOn)
        .That(EndedOn is null || EndedOn >= today, "endedOn",
            "Nicht in der Vergangenheit: abgehaltene Sitzungen und Umlaufverfahren haben das Mitglied bereits gezählt.")
        .Required("reason", Reason)
        .Text("note", Note, required: Reason == MembershipEndReason.Other, maxLength: 400);
}

/// <summary>A person of the steering group: a token subject with the tenant it signs in at.</summary>
internal static class SteeringPerson
{
    public static bool Same(string? userId, string? tenant, string? otherUserId, string? otherTenant) =>
        !string.IsNullOrWhiteSpace(userId) && string.Equals(userId.Trim(), otherUserId?.Trim(), StringComparison.Ordinal)
        && string.Equals(tenant?.Trim(), otherTenant?.Trim(), StringComparison.Ordinal);

    /// <summary>The deputy's name, sign-in and its tenant: name and tenant go with the sign-in.</summary>
    public static Validation Deputy(this Validation validation, string? name, string? userId, string? tenant) => validation
        .Text("deputyName", name, required: false)
        .Text("deputyUserId", userId, required: !string.IsNullOrWhiteSpace(name))
        .Text("deputyTenant", tenant, required: !string.IsNullOrWhiteSpace(userId), maxLength: 100)
        .That(string.IsNullOrWhiteSpace(tenant) || !string.IsNullOrWhiteSpace(userId), "deputyTenant", "Nur zusammen mit der Anmeldung der Stellvertretung.");

    /// <summary>
    /// The e-mail addresses of member and deputy: optional, at most 200 characters, an address with an '@' and no
    /// spaces; the deputy's only together with a deputy.
    /// </summary>
    public static Validation Emails(this Validation validation, string? email, string? deputyEmail, string? deputyName) => validation
        .Email("email", email)
        .Email("deputyEmail", deputyEmail)
        .That(string.IsNullOrWhiteSpace(deputyEmail) || !string.IsNullOrWhiteSpace(deputyName), "deputyEmail", "Nur zusammen mit einer Stellvertretung.");

    private static Validation Email(this Validation validation, string field, string? value)
    {
        validation.Text(field, value, required: false, maxLength: EmailAddress.MaxLength);
        return string.IsNullOrWhiteSpace(value) || EmailAddress.IsPlausible(value.Trim())
            ? validation
            : validation.Add(field, "Keine gültige E-Mail-Adresse (Beispiel: name@kommune.de).");
    }

    /// <summary>
    /// The member record other than <paramref name="except"/> in which the person already sits, as member or deputy: a
    /// person acts for one organisation only.
    /// </summary>
    public static Task<SteeringMember?> RecordOfAsync(NetworkDbContext db, string userId, string tenant, Guid except, CancellationToken cancellationToken) =>
        db.SteeringMembers.FirstOrDefaultAsync(m => m.Id != except
            && ((m.UserId == userId && m.UserTenant == tenant) || (m.DeputyUserId == userId && m.DeputyTenant == tenant)), cancellationToken);

    /// <summary>
    /// Brings the member's seats (<see cref="SteeringSeat"/>) in line with the record: one for the member (once its tenant
    /// is known) and one for the deputy. A seat another record took meanwhile fails the save (unique key), so of two
    /// concurrent requests seating the same person only one succeeds.
    /// </summary>
    public static async Task SeatAsync(NetworkDbContext db, SteeringMember member, CancellationToken cancellationToken)
    {
        var wanted = new List<SteeringSeat>();
        if (member.UserTenant.Length > 0)
        {
            wanted.Add(new SteeringSeat { UserId = member.UserId, Tenant = member.UserTenant, MemberId = member.Id });
        }

        if (member is { DeputyUserId: { } deputy, DeputyTenant: { } deputyTenant })
        {
            wanted.Add(new SteeringSeat { UserId = deputy, Tenant = deputyTenant, MemberId = member.Id, AsDeputy = true });
        }

        var held = await db.SteeringSeats.Where(s => s.MemberId == member.Id).ToListAsync(cancellationToken);
        db.SteeringSeats.RemoveRange(held.Where(h => !wanted.Any(w => w.UserId == h.UserId && w.Tenant == h.Tenant && w.AsDeputy == h.AsDeputy)));
        db.SteeringSeats.AddRange(wanted.Where(w => !held.Any(h => h.UserId == w.UserId && h.Tenant == w.Tenant && h.AsDeputy == w.AsDeputy)));
    }
}

/// <summary>
/// A member of the steering group, the organisation represented and the deputy, each with the tenant they sign in at;
/// <see cref="EndedOn"/> is the first day without membership when it ended or will end; <see cref="Email"/> and
/// <see cref="DeputyEmail"/> are where invitations go.
/// </summary>
public sealed record SteeringMemberResponse(
    Guid Id, Guid OrganisationId, string Name, string UserId, string UserTenant, bool HasVotingRight, string? DeputyName, string? DeputyUserId,
    string? DeputyTenant, DateTime JoinedAt, DateOnly? EndedOn, MembershipEndReason? EndReason, string? EndNote, string? Email, string? DeputyEmail)
{
    public static SteeringMemberResponse From(SteeringMember m) =>
        new(m.Id, m.OrganisationId, m.Name, m.UserId, m.UserTenant, m.HasVotingRight, m.DeputyName, m.DeputyUserId, m.DeputyTenant, UtcTime.Of(m.JoinedAt),
            m.EndedOn, m.EndReason, m.EndNote, m.Email, m.DeputyEmail);
}

/// <summary>A version of the rules of procedure; version 0 are the constituent rules that apply before any is adopted.</summary>
public sealed record RulesOfProcedureResponse(
    Guid Id, int Version, int QuorumPercent, MajorityRule Majority, bool CircularAllowed, int CircularDeadlineDays, int CircularParticipationPercent,
    RulesStatus Status, string? ResolutionNumber, DateTime CreatedAt, DateTime? InForceSince)
{
    public static RulesOfProcedureResponse From(RulesOfProcedure r) => new(
        r.Id, r.Version, r.QuorumPercent, r.Majority, r.CircularAllowed, r.CircularDeadlineDays, r.CircularParticipationPercent, r.Status,
        r.ResolutionNumber, UtcTime.Of(r.CreatedAt), UtcTime.Of(r.InForceSince));
}

/// <summary>One entry of the audit trail: who did what to which subject, and when.</summary>
public sealed record AuditEntryResponse(long Id, DateTime At, string User, string Role, string Action, Guid SubjectId, string? Detail)
{
    public static AuditEntryResponse From(AuditEntry a) => new(a.Id, UtcTime.Of(a.At), a.User, a.Role, a.Action, a.SubjectId, a.Detail);
}

public static class SteeringApi
{
    public static RouteGroupBuilder MapSteeringApi(this RouteGroupBuilder network)
    {
        var steering = network.MapGroup("/steering").WithTags("Steering group");
        steering.MapPost("/members", AddMember).RequireAuthorization(NetworkPolicies.Manage);
        steering.MapGet("/members", ListMembers);
        steering.MapPut("/members/{id:guid}", UpdateMember).RequireAuthorization(NetworkPolicies.Manage);
        steering.MapPost("/members/{id:guid}/end", EndMembership).RequireAuthorization(NetworkPolicies.Manage);
        steering.MapPost("/rules", DraftRules).RequireAuthorization(NetworkPolicies.Manage);
        steering.MapGet("/rules", ListRules);
        steering.MapGet("/rules/current", CurrentRules);
        steering.MapGet("/audit", Audit).RequireAuthorization(NetworkPolicies.Manage);
        return steering;
    }

    public static async Task<Results<Created<SteeringMemberResponse>, ValidationProblem, ProblemHttpResult>> AddMember(
        AddMemberRequest request, NetworkDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (validation.IsValid && !await db.Organisations.AnyAsync(o => o.Id == request.OrganisationId, cancellationToken))
        {
            validation.Add("organisationId", "Unbekannte Organisation.");
        }

        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var userId = request.UserId!.Trim();
        var userTenant = request.UserTenant!.Trim();
        var deputyUserId = string.IsNullOrWhiteSpace(request.DeputyUserId) ? null : request.DeputyUserId.Trim();
        var deputyTenant = deputyUserId is null ? null : request.DeputyTenant!.Trim();
        if (await SteeringPerson.RecordOfAsync(db, userId, userTenant, Guid.Empty, cancellationToken) is { } existing)
        {
            return existing.UserId == userId && existing.UserTenant == userTenant
                ? Problems.Conflict("Mitglied bereits erfasst", "Diese Person ist bereits Mitglied der Lenkungsgruppe.")
                : Problems.Conflict("Person bereits Stellvertretung", $"Diese Person vertritt bereits {existing.Name}; eine Person handelt nur für eine Organisation.");
        }

        if (deputyUserId is not null && await SteeringPerson.RecordOfAsync(db, deputyUserId, deputyTenant!, Guid.Empty, cancellationToken) is { } taken)
        {
            return Problems.Conflict("Stellvertretung bereits vergeben",
                $"Die Stellvertretung sitzt bereits für {taken.Name} in der Lenkungsgruppe; eine Person handelt nur für eine Organisation.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var member = new SteeringMember
        {
            Id = Guid.CreateVersion7(),
            OrganisationId = request.OrganisationId!.Value,
            Name = request.Name!.Trim(),
            UserId = userId,
            UserTenant = userTenant,
            HasVotingRight = request.HasVotingRight!.Value,
            DeputyName = string.IsNullOrWhiteSpace(request.DeputyName) ? null : request.DeputyName.Trim(),
            DeputyUserId = deputyUserId,
            DeputyTenant = deputyTenant,
            Email = EmailAddress.Normalize(request.Email),
            DeputyEmail = EmailAddress.Normalize(request.DeputyEmail),
            JoinedAt = now,
        };
        db.SteeringMembers.Add(member);
        await SteeringPerson.SeatAsync(db, member, cancellationToken);
        db.Audit(user, "steering.member-added", member.Id, now, member.Name);
        if (!await ConcurrentSave.TrySaveAsync(db, cancellationToken))
        {
            return Problems.ConcurrentChange("Gleichzeitig wurde diese Person in der Lenkungsgruppe erfasst; eine Person handelt nur für eine Organisation.");
        }

        return TypedResults.Created($"/api/network/steering/members/{member.Id}", SteeringMemberResponse.From(member));
    }

    /// <summary>
    /// Changes the voting right or the deputy (null removes the deputy), or adds the tenant of a member recorded without
    /// one; takes effect for meetings held afterwards.
    /// </summary>
    public static async Task<Results<Ok<SteeringMemberResponse>, ValidationProblem, ProblemHttpResult>> UpdateMember(
        Guid id, UpdateMemberRequest request, NetworkDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var member = await db.SteeringMembers.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (member is null)
        {
            return Problems.NotFound("Mitglied nicht gefunden");
        }

        var validation = request.Validate(member);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        if (member.HasEndedOn(LocalDay.Today(clock)))
        {
            return MembershipEnded(member);
        }

        var userTenant = request.TenantAfter(member);
        if (userTenant != member.UserTenant && await SteeringPerson.RecordOfAsync(db, member.UserId, userTenant, member.Id, cancellationToken) is { } seated)
        {
            return Problems.Conflict("Person bereits erfasst",
                $"Diese Person sitzt bereits für {seated.Name} in der Lenkungsgruppe; eine Person handelt nur für eine Organisation.");
        }

        var deputyUserId = string.IsNullOrWhiteSpace(request.DeputyUserId) ? null : request.DeputyUserId.Trim();
        var deputyTenant = deputyUserId is null ? null : request.DeputyTenant!.Trim();
        if (deputyUserId is not null && await SteeringPerson.RecordOfAsync(db, deputyUserId, deputyTenant!, member.Id, cancellationToken) is { } taken)
        {
            return Problems.Conflict("Stellvertretung bereits vergeben",
                $"Die Stellvertretung sitzt bereits für {taken.Name} in der Lenkungsgruppe; eine Person handelt nur für eine Organisation.");
        }

        var repaired = userTenant != member.UserTenant;
        member.UserTenant = userTenant;
        member.HasVotingRight = request.HasVotingRight!.Value;
        member.DeputyName = string.IsNullOrWhiteSpace(request.DeputyName) ? null : request.DeputyName.Trim();
        member.DeputyUserId = deputyUserId;
        member.DeputyTenant = deputyTenant;
        member.Email = EmailAddress.Normalize(request.Email);
        member.DeputyEmail = member.DeputyName is null ? null : EmailAddress.Normalize(request.DeputyEmail);
        await SteeringPerson.SeatAsync(db, member, cancellationToken);
        db.Audit(user, "steering.member-updated", member.Id, clock.GetUtcNow().UtcDateTime,
            $"voting {member.HasVotingRight}, deputy {member.DeputyName ?? "none"}, e-mail {(member.Email is null ? "none" : "set")}{(repaired ? $", tenant {userTenant}" : "")}");
        if (!await ConcurrentSave.TrySaveAsync(db, cancellationToken))
        {
            return Problems.ConcurrentChange("Gleichzeitig wurde diese Person in der Lenkungsgruppe erfasst; eine Person handelt nur für eine Organisation.");
        }

        return TypedResults.Ok(SteeringMemberResponse.From(member));
    }

    /// <summary>
    /// Ends a membership (end of term, resignation, recall ...) from a day on: from then on the member neither votes nor
    /// counts for quorum, and is listed only with <c>?includeEnded=true</c>. The record, its votes and meetings stay.
    /// </summary>
    public static async Task<Results<Ok<SteeringMemberResponse>, ValidationProblem, ProblemHttpResult>> EndMembership(
        Guid id, EndMembershipRequest request, NetworkDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var validation = request.Validate(LocalDay.Of(now));
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var member = await db.SteeringMembers.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (member is null)
        {
            return Problems.NotFound("Mitglied nicht gefunden");
        }

        if (member.EndedOn is not null)
        {
            return MembershipEnded(member);
        }

        member.EndedOn = request.EndedOn!.Value;
        member.EndReason = request.Reason!.Value;
        member.EndNote = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim();
        db.Audit(user, "steering.member-ended", member.Id, now, $"{member.EndReason} from {member.EndedOn:yyyy-MM-dd}");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(SteeringMemberResponse.From(member));
    }

    /// <summary>The members, by name; those whose membership has ended only with <paramref name="includeEnded"/>.</summary>
    public static async Task<Ok<SteeringMemberResponse[]>> ListMembers(
        NetworkDbContext db, TimeProvider clock, CancellationToken cancellationToken, bool includeEnded = false)
    {
        var today = LocalDay.Today(clock);
        var query = db.SteeringMembers.AsNoTracking();
        if (!includeEnded)
        {
            query = query.Where(m => m.EndedOn == null || m.EndedOn > today);
        }

        var members = await query.OrderBy(m => m.Name).ToArrayAsync(cancellationToken);
        return TypedResults.Ok(members.Select(SteeringMemberResponse.From).ToArray());
    }

    private static ProblemHttpResult MembershipEnded(SteeringMember member) =>
        Problems.Conflict("Mitgliedschaft beendet",
            $"Die Mitgliedschaft von {member.Name} ist zum {member.EndedOn:dd.MM.yyyy} beendet ({Label(member.EndReason)}); sie bleibt mit ihren Sitzungen und Stimmen im Verlauf.");

    private static string Label(MembershipEndReason? reason) => reason switch
    {
        MembershipEndReason.TermEnded => "Ende der Amtszeit",
        MembershipEndReason.Resigned => "Rücktritt",
        MembershipEndReason.RecalledByOrganisation => "Abberufung durch die Organisation",
        MembershipEndReason.OrganisationLeft => "Ausscheiden der Organisation",
        _ => "sonstiger Grund",
    };

    public static async Task<Results<Created<RulesOfProcedureResponse>, ValidationProblem, ProblemHttpResult>> DraftRules(
        DraftRulesRequest request, NetworkDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var validation = request.Validate();
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var version = (await db.RulesOfProcedure.MaxAsync(r => (int?)r.Version, cancellationToken) ?? 0) + 1;
        var rules = new RulesOfProcedure
        {
            Id = Guid.CreateVersion7(),
            Version = version,
            QuorumPercent = request.QuorumPercent!.Value,
            Majority = request.Majority!.Value,
            CircularAllowed = request.CircularAllowed!.Value,
            CircularDeadlineDays = request.CircularDeadlineDays ?? 0,
            CircularParticipationPercent = request.CircularParticipationPercent ?? 0,
            Status = RulesStatus.Draft,
            CreatedAt = now,
        };
        db.RulesOfProcedure.Add(rules);
        db.Audit(user, "steering.rules-drafted", rules.Id, now, $"version {version}");
        if (!await ConcurrentSave.TrySaveAsync(db, cancellationToken))
        {
            return Problems.ConcurrentChange($"Gleichzeitig wurde Version {version} der Geschäftsordnung entworfen; laden Sie neu und versuchen Sie es noch einmal.");
        }

        return TypedResults.Created($"/api/network/steering/rules/{rules.Id}", RulesOfProcedureResponse.From(rules));
    }

    public static async Task<Ok<RulesOfProcedureResponse[]>> ListRules(NetworkDbContext db, CancellationToken cancellationToken)
    {
        var rules = await db.RulesOfProcedure.AsNoTracking().OrderBy(r => r.Version).ToArrayAsync(cancellationToken);
        return TypedResults.Ok(rules.Select(RulesOfProcedureResponse.From).ToArray());
    }

    public static async Task<Ok<RulesOfProcedureResponse>> CurrentRules(ResolutionService resolutions, CancellationToken cancellationToken) =>
        TypedResults.Ok(RulesOfProcedureResponse.From(await resolutions.RulesInForceAsync(cancellationToken)));

    public static async Task<Ok<AuditEntryResponse[]>> Audit(Guid? subjectId, NetworkDbContext db, CancellationToken cancellationToken)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (subjectId is { } subject)
        {
            query = query.Where(a => a.SubjectId == subject);
        }

        var entries = await query.OrderByDescending(a => a.Id).Take(500).ToArrayAsync(cancellationToken);
        return TypedResults.Ok(entries.Select(AuditEntryResponse.From).ToArray());
    }
}
