using Kim.WebApp.Clients.Network.Models;
using CaseModels = Kim.WebApp.Clients.CaseService.Models;

namespace Kim.WebApp.Components.Pages.Planning;

/// <summary>German names of the NetworkService's values on the planning pages (see the glossary).</summary>
public static class PlanningTexts
{
    public static string Of(WorkingGroupStatus? status) => status switch
    {
        WorkingGroupStatus.Proposed => "vorgeschlagen, Mandat noch nicht beschlossen",
        WorkingGroupStatus.Mandated => "mandatiert",
        _ => "–",
    };

    public static string Of(ResultStatus? status) => status switch
    {
        ResultStatus.Submitted => "der Lenkungsgruppe vorgelegt",
        ResultStatus.Adopted => "beschlossen",
        ResultStatus.Rejected => "abgelehnt",
        ResultStatus.Returned => "zur Überarbeitung zurückgegeben",
        _ => "–",
    };

    public static string Of(ThemeStatus? status) => status switch
    {
        ThemeStatus.Proposed => "vorgeschlagen",
        ThemeStatus.Assigned => "einer Arbeitsgruppe zugewiesen",
        _ => "–",
    };

    public static string Of(ThemeSource? source) => source switch
    {
        ThemeSource.Reconstructions => "aus Fallrekonstruktionen",
        ThemeSource.Manual => "von Hand vorgeschlagen",
        _ => "–",
    };

    public static string Of(GoalSystemStatus? status) => status switch
    {
        GoalSystemStatus.Draft => "Entwurf",
        GoalSystemStatus.Adopted => "beschlossen",
        GoalSystemStatus.Superseded => "abgelöst",
        _ => "–",
    };

    public static string Of(ServiceChainStatus? status) => status switch
    {
        ServiceChainStatus.Draft => "Entwurf",
        ServiceChainStatus.Adopted => "beschlossen",
        ServiceChainStatus.Superseded => "abgelöst",
        _ => "–",
    };

    public static string Of(AgreementKind? kind) => kind switch
    {
        AgreementKind.Cooperation => "Kooperationsvereinbarung",
        AgreementKind.Forwarding => "Weiterleitungsvertrag",
        _ => "–",
    };

    public static string Of(AgreementStatus? status) => status switch
    {
        AgreementStatus.Draft => "Entwurf",
        AgreementStatus.Signed => "unterzeichnet",
        _ => "–",
    };

    /// <summary>A motion's status in the steering group's own words (one translation, kept in <see cref="Steering.SteeringTexts"/>).</summary>
    public static string Of(MotionStatus? status) => Steering.SteeringTexts.Of(status);

    public static string Of(LifeDomain? domain) =>
        domain is { } d && Enum.TryParse<CaseModels.LifeDomain>(d.ToString(), out var same) ? Texts.Of(same) : "–";

    public static string Of(LegalDomain? domain) =>
        domain is { } d && Enum.TryParse<CaseModels.LegalDomain>(d.ToString(), out var same) ? Texts.Of(same) : "–";

    public static string Of(OrganisationType? type) =>
        type is { } t && Enum.TryParse<CaseModels.OrganisationType>(t.ToString(), out var same) ? Texts.Of(same) : "–";

    /// <summary>A decimal as people in Germany write it (comma), without trailing zeros.</summary>
    public static string Number(double? value) => value is { } v ? v.ToString("0.##", Texts.German) : "–";

    /// <summary>Reads a number typed with a decimal comma or point (no thousands separators); null when it is none (the API then asks for one).</summary>
    public static double? ParseNumber(string? value) =>
        double.TryParse(value?.Trim().Replace(',', '.'), System.Globalization.NumberStyles.AllowDecimalPoint | System.Globalization.NumberStyles.AllowLeadingSign,
            System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : null;

    /// <summary>The lines of a text area, trimmed, without empty ones.</summary>
    public static List<string> Lines(string? value) =>
        (value ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    public static IEnumerable<(string Value, string Text)> Options<T>(Func<T?, string> text) where T : struct, Enum =>
        Enum.GetValues<T>().Where(v => !v.ToString().StartsWith("Openapi", StringComparison.Ordinal)).Select(v => (v.ToString(), text(v)));
}
