using Kim.CaseService.Consents;
using Kim.CaseService.Referrals;
using Kim.Contracts;
using Kim.ServiceDefaults;

namespace Kim.CaseService.Cases;

/// <summary>Opens a case in phase Intake (Erstberatung) for a new client.</summary>
public sealed record OpenCaseRequest
{
    public ClientRequest? Client { get; init; }

    public AccessRoute? AccessRoute { get; init; }

    /// <summary>
    /// True after the caller was warned of a possible duplicate (409 <c>possible-duplicate</c>) and confirms that this
    /// is another person.
    /// </summary>
    public bool? ConfirmDuplicate { get; init; }

    public Validation Validate(DateOnly today)
    {
        var validation = new Validation();
        if (Client is null)
        {
            return validation.Add("client", "Pflichtangabe.");
        }

        validation.Text("client.givenName", Client.GivenName);
        validation.Text("client.familyName", Client.FamilyName);
        validation.Required("client.birthDate", Client.BirthDate);
        if (Client.BirthDate is { } birthDate)
        {
            validation.That(birthDate <= today, "client.birthDate", "Darf nicht in der Zukunft liegen.");
            validation.That(birthDate >= today.AddYears(-120), "client.birthDate", "Muss innerhalb der letzten 120 Jahre liegen.");
        }

        validation.Text("client.phone", Client.Phone, required: false, maxLength: 40);
        validation.That(Client.Phone is null || Client.Phone.All(c => char.IsDigit(c) || c is '+' or ' ' or '-' or '/' or '(' or ')'),
            "client.phone", "Nur Ziffern, Leerzeichen und + - / ( ).");
        validation.Text("client.email", Client.Email, required: false, maxLength: 254);
        validation.That(Client.Email is null || System.Net.Mail.MailAddress.TryCreate(Client.Email, out _), "client.email", "Keine gültige E-Mail-Adresse.");
        validation.Text("client.address", Client.Address, required: false, maxLength: 300);
        var languages = Client.Languages ?? [];
        validation.That(languages.Count <= 10, "client.languages", "Höchstens 10 Sprachen.");
        for (var i = 0; i < languages.Count; i++)
        {
            validation.That(languages[i] is { Length: >= 2 and <= 3 } code && code.All(char.IsAsciiLetterLower),
                $"client.languages[{i}]", "An ISO 639 language code in lower case, e.g. \"ar\" or \"uk\".");
        }

        if (Client.ArrivalDate is { } arrival)
        {
            validation.That(arrival <= today, "client.arrivalDate", "Darf nicht in der Zukunft liegen.");
            validation.That(Client.BirthDate is not { } born || arrival >= born, "client.arrivalDate", "Darf nicht vor dem Geburtsdatum liegen.");
        }

        return validation;
    }
}

/// <summary>The client's personal data.</summary>
public sealed record ClientRequest
{
    public string? GivenName { get; init; }

    public string? FamilyName { get; init; }

    /// <summary>ISO date, <c>YYYY-MM-DD</c>.</summary>
    public DateOnly? BirthDate { get; init; }

    public string? Phone { get; init; }

    public string? Email { get; init; }

    public string? Address { get; init; }

    /// <summary>ISO 639 codes of the languages the client speaks.</summary>
    public List<string>? Languages { get; init; }

    public ResidenceStatus? ResidenceStatus { get; init; }

    public DateOnly? ArrivalDate { get; init; }
}

/// <summary>Search and filters of the case list; a name travels in this body, never in a URL.</summary>
public sealed record CaseSearchRequest
{
    /// <summary>The beginning of a given or family name, or of both ("Am Had"); at least two letters a word.</summary>
    public string? Name { get; init; }

    /// <summary>Only the cases the caller is responsible for or deputy of.</summary>
    public bool? Mine { get; init; }

    public CasePhase? Phase { get; init; }

    /// <summary>Default: open cases.</summary>
    public CaseStatus? Status { get; init; }

    public int? Skip { get; init; }

    public int? Take { get; init; }

    public Validation Validate() => new Validation()
        .Text("name", Name, required: false, maxLength: 100)
        .That(Phase is null || Enum.IsDefined(Phase.Value), "phase", "Unbekannte Phase.")
        .That(Status is null || Enum.IsDefined(Status.Value), "status", "Unbekannter Status.")
        .That(Skip is null or >= 0, "skip", "Darf nicht negativ sein.")
        .That(Take is null or (>= 1 and <= 200), "take", "Zwischen 1 und 200.");
}

public sealed record ClientResponse(
    string? GivenName, string? FamilyName, DateOnly? BirthDate, string? Phone, string? Email, string? Address,
    IReadOnlyList<string> Languages, ResidenceStatus ResidenceStatus, DateOnly? ArrivalDate, bool Anonymised);

public sealed record CaseSummary(Guid Id, string Tenant, CasePhase Phase, CaseStatus Status, DateTime OpenedAt, string AssignedTo, string? GivenName, string? FamilyName);

public sealed record PagedResponse<T>(IReadOnlyList<T> Items, int Total, int Skip, int Take);

public sealed record AssessmentResponse(LifeDomain LifeDomain, string? Situation, string? Resources, string? Needs, string? ClientView, bool Complete, DateTime AssessedAt);

public sealed record GoalResponse(Guid Id, LifeDomain LifeDomain, string? Description, DateOnly? TargetDate, DateTime? AgreedAt, GoalEvaluation? Evaluation);

public sealed record PlanItemResponse(
    Guid Id, string Title, LifeDomain LifeDomain, LegalDomain LegalDomain, Guid ResponsibleOrganisationId, string ResponsibleOrganisationName,
    int TargetDays, Guid? GoalId, Guid? ServiceChainId, int? ServiceChainVersion, int? ChainStepOrder);

public sealed record ReferralResponse(
    Guid Id, Guid CaseId, Guid PlanItemId, Guid ProviderOrganisationId, string ProviderOrganisationName, string? ProviderTenantId,
    LegalDomain LegalDomain, LifeDomain LifeDomain, int TargetDays, bool SharesPersonalData, ReferralStatus Status,
    DateTime IssuedAt, DateTime DueAt, bool Overdue, DateTime? AcceptedAt, DateTime? StartedAt, DateTime? CompletedAt, DateTime? RejectedAt,
    DateTime? CancelledAt, string? Reason, bool? Successful, ReferralFailureReason? FailureReason, DateTime? ConsentWithdrawnAt)
{
    public static ReferralResponse From(Referral r, DateTime now) => new(
        r.Id, r.CaseId, r.PlanItemId, r.ProviderOrganisationId, r.ProviderOrganisationName, r.ProviderTenantId, r.LegalDomain, r.LifeDomain,
        r.TargetDays, r.SharesPersonalData, r.Status, Utc(r.IssuedAt), Utc(r.DueAt), r.IsOverdue(now), Utc(r.AcceptedAt), Utc(r.StartedAt),
        Utc(r.CompletedAt), Utc(r.RejectedAt), Utc(r.CancelledAt), r.Reason, r.Successful, r.FailureReason, Utc(r.ConsentWithdrawnAt));

    internal static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    internal static DateTime? Utc(DateTime? value) => value is { } v ? Utc(v) : null;
}

public sealed record DeliveryResponse(Guid Id, Guid PlanItemId, bool Delivered, string? Note, DateOnly RecordedOn);

public sealed record ReviewResponse(Guid Id, CaseReviewKind Kind, DateOnly HeldOn, IReadOnlyList<OrganisationType> Participants, bool CoordinatorPresent, string? Outcome, string RecordedBy);

public sealed record PhaseChangeResponse(CasePhase From, CasePhase To, bool IsBackward, string? Reason, DateTime At, string By);

public sealed record IndicationResponse(bool TargetGroup, bool WillingToCooperate, bool CommunicationPossible, bool Indicated, DateTime DecidedAt, string DecidedBy);

/// <summary>
/// A whole case with its client; reading it is audited. <c>NextPhaseMissing</c> is the precondition code that an advance
/// to <c>NextPhase</c> would be refused with now (null: the advance is possible), so that people see it before trying.
/// </summary>
public sealed record CaseResponse(
    Guid Id, string Tenant, long Version, CasePhase Phase, CaseStatus Status, DateTime OpenedAt, string AssignedTo, IReadOnlyList<string> Deputies,
    AccessRoute AccessRoute,
    ClientResponse Client, IndicationResponse? Indication, string? NotIndicatedReason, OrganisationType? ReferredToType,
    Guid? ReferredToOrganisationId, string? ClosureReason, DateTime? ClosedAt, CasePhase? NextPhase, string? NextPhaseMissing, IReadOnlyList<AssessmentResponse> Assessments,
    IReadOnlyList<GoalResponse> Goals, IReadOnlyList<PlanItemResponse> PlanItems, IReadOnlyList<ReferralResponse> Referrals,
    IReadOnlyList<DeliveryResponse> Deliveries, IReadOnlyList<ReviewResponse> Reviews, IReadOnlyList<PhaseChangeResponse> History)
{
    public static CaseResponse From(string tenant, Case c, ClientIdentity? identity, DateTime now) => new(
        c.Id, tenant, c.Version, c.Phase, c.Status, ReferralResponse.Utc(c.OpenedAt), c.AssignedTo, [.. c.Deputies.Select(d => d.UserId).Order(StringComparer.Ordinal)],
        c.AccessRoute,
        new ClientResponse(identity?.GivenName, identity?.FamilyName, identity?.BirthDate, identity?.Phone, identity?.Email, identity?.Address,
            c.Client.Languages, c.Client.ResidenceStatus, c.Client.ArrivalDate, c.Client.AnonymisedAt is not null),
        c.Indication is { } i ? new IndicationResponse(i.TargetGroup, i.WillingToCooperate, i.CommunicationPossible, i.Indicated, ReferralResponse.Utc(i.DecidedAt), i.DecidedBy) : null,
        c.NotIndicatedReason, c.ReferredToType, c.ReferredToOrganisationId, c.ClosureReason, ReferralResponse.Utc(c.ClosedAt),
        c.Status == CaseStatus.Open ? CaseRules.Next(c.Phase) : null,
        c.Status == CaseStatus.Open && CaseRules.Next(c.Phase) is { } next ? CaseRules.CanAdvance(c, next, LocalDay.Of(now))?.Code : null,
        [.. c.Assessments.OrderBy(a => a.LifeDomain).Select(a => new AssessmentResponse(a.LifeDomain, a.Situation, a.Resources, a.Needs, a.ClientView, a.IsComplete, ReferralResponse.Utc(a.AssessedAt)))],
        [.. c.Goals.OrderBy(g => g.AgreedAt).Select(g => new GoalResponse(g.Id, g.LifeDomain, g.Description, g.TargetDate, ReferralResponse.Utc(g.AgreedAt), g.Evaluation))],
        [.. c.PlanItems.OrderBy(p => p.PlannedAt).ThenBy(p => p.ChainStepOrder).Select(p => new PlanItemResponse(p.Id, p.Title, p.LifeDomain, p.LegalDomain,
            p.ResponsibleOrganisationId, p.ResponsibleOrganisationName, p.TargetDays, p.GoalId, p.ServiceChainId, p.ServiceChainVersion, p.ChainStepOrder))],
        [.. c.Referrals.OrderBy(r => r.IssuedAt).Select(r => ReferralResponse.From(r, now))],
        [.. c.Deliveries.OrderBy(d => d.RecordedAt).Select(d => new DeliveryResponse(d.Id, d.PlanItemId, d.Delivered, d.Note, d.RecordedOn))],
        [.. c.Reviews.OrderBy(r => r.HeldOn).Select(r => new ReviewResponse(r.Id, r.Kind, r.HeldOn, r.Participants, r.CoordinatorPresent, r.Outcome, r.RecordedBy))],
        [.. c.History.OrderBy(h => h.At).ThenBy(h => h.Id).Select(h => new PhaseChangeResponse(h.From, h.To, h.IsBackward, h.Reason, ReferralResponse.Utc(h.At), h.By))]);
}

/// <summary>The indication decision of the intake.</summary>
public sealed record IndicationRequest
{
    public bool? TargetGroup { get; init; }

    public bool? WillingToCooperate { get; init; }

    public bool? CommunicationPossible { get; init; }

    public Validation Validate() => new Validation()
        .Required("targetGroup", TargetGroup).Required("willingToCooperate", WillingToCooperate).Required("communicationPossible", CommunicationPossible);
}

/// <summary>Intake ends without case management: why, and where the person was referred instead.</summary>
public sealed record NotIndicatedRequest
{
    public string? Reason { get; init; }

    public OrganisationType? ReferredToType { get; init; }

    public Guid? ReferredToOrganisationId { get; init; }

    public Validation Validate() => new Validation().Text("reason", Reason, maxLength: 1000).Required("referredToType", ReferredToType);
}

public sealed record AdvanceRequest
{
    public CasePhase? To { get; init; }

    public Validation Validate() => new Validation().Required("to", To)
        .That(To != CasePhase.Closure, "to", "Ein Fall wird mit POST .../close abgeschlossen; dabei werden seine Ziele bewertet.");
}

/// <summary>A reasoned step back a phase, or a reopening.</summary>
public sealed record ReasonRequest
{
    public string? Reason { get; init; }

    public Validation Validate() => new Validation().Text("reason", Reason, maxLength: 1000);
}

public sealed record GoalEvaluationRequest
{
    public Guid? GoalId { get; init; }

    public GoalEvaluation? Evaluation { get; init; }
}

public sealed record CloseRequest
{
    public string? Reason { get; init; }

    public List<GoalEvaluationRequest>? Evaluations { get; init; }

    public Validation Validate()
    {
        var validation = new Validation().Text("reason", Reason, maxLength: 1000);
        var evaluations = Evaluations ?? [];
        validation.That(evaluations.Count <= 100, "evaluations", "Höchstens 100 Bewertungen.");
        for (var i = 0; i < evaluations.Count; i++)
        {
            validation.Required($"evaluations[{i}].goalId", evaluations[i].GoalId).Required($"evaluations[{i}].evaluation", evaluations[i].Evaluation);
        }

        validation.That(evaluations.Where(e => e.GoalId is not null).GroupBy(e => e.GoalId).All(g => g.Count() == 1), "evaluations", "Jedes Ziel nur einmal.");
        return validation;
    }
}
