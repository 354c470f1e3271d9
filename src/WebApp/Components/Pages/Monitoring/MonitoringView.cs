using System.Globalization;
using Kim.WebApp.Components.Charts;
using Kim.WebApp.Components.Planning;
using NetworkModels = Kim.WebApp.Clients.Network.Models;
using ReportModels = Kim.WebApp.Clients.Reporting.Models;

namespace Kim.WebApp.Components.Pages.Monitoring;

/// <summary>A chain step as people read it: chain title and version, activity and provider, resolved from the network registry.</summary>
public sealed record StepName(string Chain, int Version, int Step, string Activity, string Provider)
{
    public string Short => $"{Chain} (V{Version}), Schritt {Step}";

    public string Full => $"{Short}: {Activity} – {Provider}";
}

/// <summary>
/// What the monitoring page shows, computed from the ReportingService's figures and the network registry's chains:
/// the ReportingService names steps by chain id, version and order only.
/// </summary>
public sealed class MonitoringView(
    ReportModels.Dashboard dashboard, ReportModels.ReferralAnalysis referrals, IReadOnlyList<NetworkModels.ServiceChainResponse> chains,
    IReadOnlyList<NetworkModels.OrganisationResponse> organisations)
{
    public ReportModels.Dashboard Dashboard { get; } = dashboard;

    public IReadOnlyList<ReportModels.ChainStepHandover> Bottlenecks => Dashboard.Bottlenecks ?? [];

    public IReadOnlyList<ReportModels.ChainStepHandover> Steps => referrals.Steps ?? [];

    public ReportModels.ChainStepHandover? First => Bottlenecks.FirstOrDefault();

    /// <summary>The step's name as the ReportingService gives it, else as the network registry knows its chain.</summary>
    public StepName NameOf(ReportModels.ChainStepHandover step)
    {
        var chain = Chain(step.ChainId, step.Version);
        var data = chain?.Steps?.FirstOrDefault(s => s.Order == step.Step);
        var provider = step.Provider ?? organisations.FirstOrDefault(o => o.Id == data?.ResponsibleOrganisationId)?.Name;
        return new StepName(step.Chain ?? chain?.Title ?? MonitoringTexts.UnknownChain, step.Version ?? 1, step.Step ?? 0, step.Activity ?? data?.Activity ?? "–", provider ?? "–");
    }

    /// <summary>Every adopted chain once (its latest adopted version): a before-and-after can compare two periods of any of them.</summary>
    public IReadOnlyList<NetworkModels.ServiceChainResponse> AdoptedChains =>
        [.. chains.Where(c => c.Status == NetworkModels.ServiceChainStatus.Adopted || c.Status == NetworkModels.ServiceChainStatus.Superseded)
            .GroupBy(c => c.ChainId).Select(g => g.OrderByDescending(c => c.Version).First()).OrderBy(c => c.Title, StringComparer.Ordinal)];

    /// <summary>A version typed into the form: empty is none, a whole number from 1 is one, anything else is invalid.</summary>
    public static (int? Value, bool Invalid) Version(string? text) =>
        string.IsNullOrWhiteSpace(text) ? (null, false)
        : int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) && version >= 1 ? (version, false)
        : (null, true);

    /// <summary>The chains with at least two adopted versions, latest first: what a before-and-after can compare.</summary>
    public IReadOnlyList<NetworkModels.ServiceChainResponse> ComparableChains =>
        [.. chains.Where(c => c.Status == NetworkModels.ServiceChainStatus.Adopted || c.Status == NetworkModels.ServiceChainStatus.Superseded)
            .GroupBy(c => c.ChainId).Where(g => g.Count() >= 2).Select(g => g.OrderByDescending(c => c.Version).First())];

    /// <summary>
    /// What to compare when the person has not chosen: the chain of the first-ranked bottleneck if it has two adopted
    /// versions, else the first chain that has; its latest version against the one before.
    /// </summary>
    public (Guid Chain, int VersionA, int VersionB)? DefaultComparison()
    {
        var latest = ComparableChains.FirstOrDefault(c => c.ChainId == First?.ChainId) ?? ComparableChains.FirstOrDefault();
        if (latest?.ChainId is not { } chain || latest.Version is not { } version)
        {
            return null;
        }

        var before = chains.Where(c => c.ChainId == chain && c.Version < version).Max(c => c.Version) ?? version - 1;
        return (chain, before, version);
    }

    public static bool Same(ReportModels.ChainStepHandover a, ReportModels.ChainStepHandover? b) =>
        b is not null && a.ChainId == b.ChainId && a.Version == b.Version && a.Step == b.Step;

    /// <summary>Median handover per chain step against its target; the first-ranked bottleneck highlighted.</summary>
    public IReadOnlyList<Bar> HandoverBars() =>
    [
        .. Steps.Select(s => new Bar(NameOf(s).Short, s.MedianDays)
        {
            Target = s.TargetDays,
            LateFrom = s.TargetDays + 1,
            Missing = s.MedianDays is null && s.Waiting > 0 ? MonitoringTexts.MedianNotReached : null,
            Highlight = Same(s, First),
            Details = [NameOf(s).Activity, NameOf(s).Provider, Texts.Number(s.Referrals), MonitoringTexts.Days(s.P90Days)],
        }),
    ];

    public IReadOnlyList<Bar> PhaseBars() =>
    [
        .. (Dashboard.CaseWork?.TimeInPhase ?? []).Select(p => new Bar(MonitoringTexts.Phase(p.Phase), p.MedianDays)
        {
            Details = [Texts.Number(p.Stays), MonitoringTexts.Days(p.P90Days)],
        }),
    ];

    /// <summary>The adopted chain of the first-ranked bottleneck (or of the first measured step), with measured times.</summary>
    public (string Title, IReadOnlyList<ChainStep> Steps)? Diagram()
    {
        var measured = First ?? Steps.FirstOrDefault();
        if (measured is null || Chain(measured.ChainId, measured.Version) is not { } chain)
        {
            return null;
        }

        var steps = (chain.Steps ?? []).OrderBy(s => s.Order).Select(s =>
        {
            var figures = Steps.FirstOrDefault(m => m.ChainId == measured.ChainId && m.Version == measured.Version && m.Step == s.Order);
            return new ChainStep(s.Order ?? 0, s.Activity ?? "–", organisations.FirstOrDefault(o => o.Id == s.ResponsibleOrganisationId)?.Name ?? "–", s.TargetDays ?? 0)
            {
                MeasuredDays = figures?.MedianDays,
                IsBottleneck = First is not null && figures is not null && Same(figures, First),
            };
        }).ToList();
        return ($"{chain.Title} (Version {chain.Version}, {Pages.Planning.PlanningTexts.Of(chain.Status)})", steps);
    }

    private NetworkModels.ServiceChainResponse? Chain(Guid? chainId, int? version) =>
        chains.FirstOrDefault(c => c.ChainId == chainId && c.Version == (version ?? 1));
}

/// <summary>The German texts of the monitoring page.</summary>
public static class MonitoringTexts
{
    public const string UnknownChain = "Unbekannte Kette";

    public const string NoVersion = "Eine Versionsnummer ab 1, z. B. 2.";

    /// <summary>Said where more than half of a step's referrals still wait: the median cannot be named yet.</summary>
    public const string MedianNotReached = "nicht erreicht, zu viele warten";

    public static string Median(ReportModels.ChainStepHandover? step) =>
        step is null ? "–" : step.MedianDays is null && step.Waiting > 0 ? MedianNotReached : Days(step.MedianDays);

    /// <summary>One side of a comparison as read: "Version 1", "03.2026 bis 06.2026", "Version 2, ab 07.2026".</summary>
    public static string Side(ReportModels.HandoverSide? side)
    {
        var parts = new List<string>();
        if (side?.Version is { } version)
        {
            parts.Add($"Version {version}");
        }

        var (from, to) = (side?.From is { } f ? Month(f) : null, side?.To is { } t ? Month(t) : null);
        parts.Add((from, to) switch
        {
            (not null, not null) => $"{from} bis {to}",
            (not null, null) => $"ab {from}",
            (null, not null) => $"bis {to}",
            _ => "",
        });
        var text = string.Join(", ", parts.Where(p => p.Length > 0));
        return text.Length == 0 ? "alle Vermittlungen" : text;
    }

    /// <summary>A change in days with its sign ("−27,0" faster, "+2,0" slower).</summary>
    public static string Change(double? days) => days is { } d ? (d > 0 ? "+" : d < 0 ? "−" : "±") + Math.Abs(d).ToString("0.0", Texts.German) : "–";

    /// <summary>A change of a share in percentage points.</summary>
    public static string ChangeOfShare(double? share) =>
        share is { } s ? (s > 0 ? "+" : s < 0 ? "−" : "±") + Math.Abs(s * 100).ToString("0", Texts.German) + " Prozentpunkte" : "–";

    public static string Days(double? days) => days is { } d ? d.ToString("0.0", Texts.German) : "–";

    public static string Share(double? share) => share is { } s ? (s * 100).ToString("0", Texts.German) + " %" : "–";

    public static string Phase(ReportModels.CasePhase? phase) => phase switch
    {
        ReportModels.CasePhase.Intake => "Erstberatung",
        ReportModels.CasePhase.Assessment => "Assessment",
        ReportModels.CasePhase.GoalAgreement => "Zielvereinbarung",
        ReportModels.CasePhase.ServicePlanning => "Hilfeplanung",
        ReportModels.CasePhase.ServiceSteering => "Leistungssteuerung",
        ReportModels.CasePhase.Monitoring => "Monitoring",
        ReportModels.CasePhase.Closure => "Abschluss",
        _ => "–",
    };

    /// <summary>Counts per month of an open JSON object (<c>{"2026-11": 3}</c>), the latest first, as "11/2026: 3".</summary>
    public static string PerMonth(IDictionary<string, object>? months) =>
        months is null || months.Count == 0
            ? "keine"
            : string.Join(", ", months.OrderByDescending(m => m.Key, StringComparer.Ordinal).Take(6)
                .Select(m => $"{Month(m.Key)}: {Texts.Untyped(m.Value)}"));

    private static string Month(string key) =>
        DateTime.TryParseExact(key, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month) ? month.ToString("MM/yyyy", Texts.German) : key;
}
