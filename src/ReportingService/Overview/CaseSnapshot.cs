using Kim.Contracts;

namespace Kim.ReportingService.Overview;

/// <summary>Projection: the current state of one case, known only by its pseudonymous CaseKey.</summary>
public sealed class CaseSnapshot
{
    public required string TenantId { get; init; }

    public required string CaseKey { get; init; }

    public CasePhase Phase { get; set; } = CasePhase.Intake;

    public string AgeBand { get; set; } = "Unknown";

    public string ResidenceCategory { get; set; } = "Unknown";

    public string AccessRoute { get; set; } = "Unknown";

    public DateTime OpenedAt { get; set; }

    /// <summary>False while only later events of the case arrived (queues per event type do not keep their order).</summary>
    public bool OpeningReceived { get; set; }

    /// <summary>When the fact behind the current phase happened; an older event never overwrites a newer state.</summary>
    public DateTime LastChangedAt { get; set; }

    /// <summary>Set when the case was closed or ended at intake as not indicated; cleared by a reopening.</summary>
    public DateTime? EndedAt { get; set; }

    public bool IsOpen => OpeningReceived && EndedAt is null;
}
