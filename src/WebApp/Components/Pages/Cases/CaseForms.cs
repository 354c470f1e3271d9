using Kim.WebApp.Clients.CaseService.Models;

namespace Kim.WebApp.Components.Pages.Cases;

// The forms of the case file, as posted (strings); each turns into its API request.

public sealed class ReasonForm
{
    public string? Reason { get; set; }

    public ReasonRequest ToRequest() => new() { Reason = Reason };
}

public sealed class IndicationForm
{
    public string? TargetGroup { get; set; }
    public string? WillingToCooperate { get; set; }
    public string? CommunicationPossible { get; set; }

    public IndicationRequest ToRequest() => new()
    {
        TargetGroup = FormValues.YesNo(TargetGroup),
        WillingToCooperate = FormValues.YesNo(WillingToCooperate),
        CommunicationPossible = FormValues.YesNo(CommunicationPossible),
    };
}

public sealed class NotIndicatedForm
{
    public string? Reason { get; set; }
    public string? ReferredToType { get; set; }

    public NotIndicatedRequest ToRequest() => new() { Reason = Reason, ReferredToType = FormValues.Enum<OrganisationType>(ReferredToType) };
}

public sealed class ConsentForm
{
    public string? Purpose { get; set; }
    public string? Provider { get; set; }
    public string? ProviderType { get; set; }
    public string? ExpiresOn { get; set; }

    public ConsentTermsRequest ToRequest() => new()
    {
        Purpose = FormValues.Enum<ConsentPurpose>(Purpose),
        ProviderOrganisationId = FormValues.Id(Provider),
        ProviderType = FormValues.Enum<OrganisationType>(ProviderType),
        ExpiresOn = FormValues.Date(ExpiresOn),
    };
}

public sealed class ConsentActionForm
{
    public string? ConsentId { get; set; }
    public string? Action { get; set; }
    public string? GivenBy { get; set; }
    public string? RepresentativeRole { get; set; }
    public string? Evidence { get; set; }
    public string? Reason { get; set; }
    public string? ExpiresOn { get; set; }
}

public sealed class AssessmentForm
{
    public string? LifeDomain { get; set; }
    public string? Situation { get; set; }
    public string? Resources { get; set; }
    public string? Needs { get; set; }
    public string? ClientView { get; set; }

    public AssessmentRequest ToRequest() => new() { Situation = Situation, Resources = Resources, Needs = Needs, ClientView = ClientView };
}

public sealed class GoalForm
{
    public string? LifeDomain { get; set; }
    public string? Description { get; set; }
    public string? TargetDate { get; set; }
    public string? ClientAgreed { get; set; }

    public GoalRequest ToRequest() => new()
    {
        LifeDomain = FormValues.Enum<Clients.CaseService.Models.LifeDomain>(LifeDomain),
        Description = Description,
        TargetDate = FormValues.Date(TargetDate),
        ClientAgreed = ClientAgreed == "true",
    };
}

public sealed class ChainPlanForm
{
    /// <summary>"{chainId}:{version}" of an adopted service chain.</summary>
    public string? Chain { get; set; }
    public string? GoalId { get; set; }

    public PlanFromChainRequest ToRequest()
    {
        var parts = (Chain ?? "").Split(':');
        return new PlanFromChainRequest
        {
            ChainId = FormValues.Id(parts[0]),
            Version = parts.Length > 1 ? FormValues.Int(parts[1]) : null,
            GoalId = FormValues.Id(GoalId),
        };
    }
}

public sealed class PlanItemForm
{
    public string? Title { get; set; }
    public string? LifeDomain { get; set; }
    public string? LegalDomain { get; set; }
    public string? Organisation { get; set; }
    public string? TargetDays { get; set; }
    public string? GoalId { get; set; }

    public PlanItemRequest ToRequest() => new()
    {
        Title = Title,
        LifeDomain = FormValues.Enum<Clients.CaseService.Models.LifeDomain>(LifeDomain),
        LegalDomain = FormValues.Enum<Clients.CaseService.Models.LegalDomain>(LegalDomain),
        ResponsibleOrganisationId = FormValues.Id(Organisation),
        TargetDays = FormValues.Int(TargetDays),
        GoalId = FormValues.Id(GoalId),
    };
}

public sealed class ReferralForm
{
    public string? PlanItemId { get; set; }
    public string? Provider { get; set; }
    public string? SharePersonalData { get; set; }

    public IssueReferralRequest ToRequest() => new()
    {
        PlanItemId = FormValues.Id(PlanItemId),
        ProviderOrganisationId = FormValues.Id(Provider),
        SharePersonalData = SharePersonalData == "true",
    };
}

public sealed class ReferralStatusForm
{
    public string? ReferralId { get; set; }
    public string? Status { get; set; }
    public string? Reason { get; set; }
    public string? Successful { get; set; }
    public string? FailureReason { get; set; }

    public ReferralStatusRequest ToRequest() => new()
    {
        Status = FormValues.Enum<ReferralStatus>(Status),
        Reason = FormValues.Text(Reason),
        Successful = Status == nameof(ReferralStatus.Completed) ? FormValues.YesNo(Successful) : null,
        FailureReason = FormValues.Enum<ReferralFailureReason>(FailureReason),
    };
}

public sealed class ReviewForm
{
    public string? Kind { get; set; }
    public string? HeldOn { get; set; }
    /// <summary>Organisation type -> "true" for each participating type (checkboxes).</summary>
    public Dictionary<string, string>? Participants { get; set; }
    public string? CoordinatorPresent { get; set; }
    public string? Outcome { get; set; }

    public ReviewRequest ToRequest() => new()
    {
        Kind = FormValues.Enum<CaseReviewKind>(Kind),
        HeldOn = FormValues.Date(HeldOn),
        Participants = (Participants ?? []).Where(p => p.Value == "true").Select(p => FormValues.Enum<OrganisationType>(p.Key)).OfType<OrganisationType>().Select(t => (OrganisationType?)t).ToList(),
        CoordinatorPresent = CoordinatorPresent == "true",
        Outcome = Outcome,
    };
}

public sealed class CloseForm
{
    public string? Reason { get; set; }
    public Dictionary<string, string>? Evaluations { get; set; }

    public CloseRequest ToRequest() => new()
    {
        Reason = Reason,
        Evaluations = (Evaluations ?? []).Select(e => new GoalEvaluationRequest { GoalId = FormValues.Id(e.Key), Evaluation = FormValues.Enum<GoalEvaluation>(e.Value) })
            .Where(e => e.GoalId is not null && e.Evaluation is not null).ToList(),
    };
}

public sealed class JournalForm
{
    public string? Kind { get; set; }
    public string? OccurredOn { get; set; }
    public string? DurationMinutes { get; set; }
    public string? Text { get; set; }

    public JournalEntryRequest ToRequest() => new()
    {
        Kind = FormValues.Enum<JournalEntryKind>(Kind),
        OccurredOn = FormValues.Date(OccurredOn),
        DurationMinutes = FormValues.Int(DurationMinutes),
        Text = Text,
    };
}

public sealed class FollowUpForm
{
    public string? Kind { get; set; }
    public string? Title { get; set; }
    public string? DueOn { get; set; }
    public string? DueTime { get; set; }
    public string? AssignedTo { get; set; }

    public FollowUpRequest ToRequest() => new()
    {
        Kind = FormValues.Enum<FollowUpKind>(Kind),
        Title = Title,
        DueOn = FormValues.Date(DueOn),
        DueTime = FormValues.Time(DueTime),
        AssignedTo = FormValues.Text(AssignedTo),
    };
}

public sealed class ClientCorrectionForm : ClientForm
{
    public string? Reason { get; set; }

    /// <summary>The case's version when the form was shown (sent as <c>If-Match</c>).</summary>
    public string? Version { get; set; }

    public ClientCorrectionRequest ToRequest() => new() { Client = ToClient(), Reason = FormValues.Text(Reason) };

    public static ClientCorrectionForm Of(ClientResponse client) => new()
    {
        GivenName = client.GivenName,
        FamilyName = client.FamilyName,
        BirthDate = Texts.Date(client.BirthDate),
        Phone = client.Phone,
        Email = client.Email,
        Address = client.Address,
        Languages = string.Join(", ", client.Languages ?? []),
        ResidenceStatus = client.ResidenceStatus?.ToString(),
        ArrivalDate = client.ArrivalDate is null ? null : Texts.Date(client.ArrivalDate),
    };
}

public sealed class HandoverForm
{
    public string? To { get; set; }

    public HandoverRequest ToRequest() => new() { To = FormValues.Text(To) };
}

public sealed class DeputiesForm
{
    /// <summary>Checked colleagues, by user id ("true" when checked).</summary>
    public Dictionary<string, string>? Deputies { get; set; }

    public DeputiesRequest ToRequest() => new() { Deputies = (Deputies ?? []).Where(d => d.Value == "true").Select(d => d.Key).ToList() };
}
