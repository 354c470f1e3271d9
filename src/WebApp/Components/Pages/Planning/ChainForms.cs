using Kim.WebApp.Clients.Network.Models;
using Kim.WebApp.Components.Pages.Cases;
using Kim.WebApp.Components.Planning;
using ChainStep = Kim.WebApp.Components.Planning.ChainStep;

namespace Kim.WebApp.Components.Pages.Planning;

/// <summary>The chain editor as posted: the chain and its steps in order, and which button was pressed.</summary>
public sealed class ChainForm
{
    public const string AddStep = "schritt-hinzufuegen";
    public const string Save = "speichern";

    /// <summary>Set when drafting a new version of an existing chain.</summary>
    public string? ChainId { get; set; }

    public string? Title { get; set; }

    public string? LifeDomain { get; set; }

    public string? WorkingGroupId { get; set; }

    public List<StepForm> Steps { get; set; } = [];

    public string? Action { get; set; }

    /// <summary>The steps that stay (those marked to be left out are dropped).</summary>
    public List<StepForm> Kept => Steps.Where(s => s.Omit != "true").ToList();

    /// <summary>A new chain starts with two empty steps: a chain hands over at least once.</summary>
    public static ChainForm Empty() => new() { Steps = [new(), new()] };

    /// <summary>A new version starts as a copy of the version it follows.</summary>
    public static ChainForm From(ServiceChainResponse chain) => new()
    {
        ChainId = chain.ChainId?.ToString(),
        Title = chain.Title,
        LifeDomain = chain.LifeDomain?.ToString(),
        WorkingGroupId = chain.WorkingGroupId?.ToString(),
        Steps = (chain.Steps ?? []).OrderBy(s => s.Order).Select(s => new StepForm
        {
            Activity = s.Activity,
            OrganisationId = s.ResponsibleOrganisationId?.ToString(),
            LegalDomain = s.LegalDomain?.ToString(),
            Preconditions = s.Preconditions,
            Guarantees = s.Guarantees,
            Standards = s.Standards,
            TargetDays = s.TargetDays?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).ToList(),
    };

    public DraftServiceChainRequest ToRequest() => new()
    {
        ChainId = FormValues.Id(ChainId),
        Title = Title,
        LifeDomain = FormValues.Enum<Kim.WebApp.Clients.Network.Models.LifeDomain>(LifeDomain),
        WorkingGroupId = FormValues.Id(WorkingGroupId),
        Steps = Kept.Select(s => new ChainStepRequest
        {
            Activity = s.Activity,
            ResponsibleOrganisationId = FormValues.Id(s.OrganisationId),
            LegalDomain = FormValues.Enum<Kim.WebApp.Clients.Network.Models.LegalDomain>(s.LegalDomain),
            Preconditions = s.Preconditions,
            Guarantees = s.Guarantees,
            Standards = FormValues.Text(s.Standards),
            TargetDays = FormValues.Int(s.TargetDays?.Trim()),
        }).ToList(),
    };
}

/// <summary>One step row of the editor: activity, responsible organisation, legal domain, handover point and target time.</summary>
public sealed class StepForm
{
    public string? Activity { get; set; }

    public string? OrganisationId { get; set; }

    public string? LegalDomain { get; set; }

    public string? Preconditions { get; set; }

    public string? Guarantees { get; set; }

    public string? Standards { get; set; }

    public string? TargetDays { get; set; }

    /// <summary>"true" when the step is to be left out of the version being drafted.</summary>
    public string? Omit { get; set; }
}

/// <summary>A chain version's steps as the diagram and the comparison read them (organisation names from the registry).</summary>
public static class ChainSteps
{
    public static IReadOnlyList<ChainStep> ForDiagram(ServiceChainResponse chain, Func<Guid?, string> organisation) =>
        (chain.Steps ?? []).OrderBy(s => s.Order)
            .Select(s => new ChainStep(s.Order ?? 0, s.Activity ?? "", organisation(s.ResponsibleOrganisationId), s.TargetDays ?? 0)).ToList();

    public static IReadOnlyList<ComparedStep> ForComparison(ServiceChainResponse chain, Func<Guid?, string> organisation) =>
        (chain.Steps ?? []).OrderBy(s => s.Order)
            .Select(s => new ComparedStep(s.Order ?? 0, s.Activity ?? "", organisation(s.ResponsibleOrganisationId), PlanningTexts.Of(s.LegalDomain),
                s.Preconditions ?? "", s.Guarantees ?? "", s.Standards ?? "", s.TargetDays ?? 0)).ToList();
}
