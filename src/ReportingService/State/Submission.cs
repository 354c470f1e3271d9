namespace Kim.ReportingService.State;

/// <summary>One municipality's submission for one period, as imported in state mode (the document is kept whole).</summary>
public sealed class StateSubmission
{
    public Guid Id { get; init; }

    public required string Period { get; init; }

    public required string MunicipalityId { get; init; }

    public required string MunicipalityName { get; set; }

    public required string Kind { get; set; }

    /// <summary>The validated document, as sent.</summary>
    public required string Document { get; set; }

    public DateTime ImportedAt { get; set; }

    public required string ImportedBy { get; set; }
}

/// <summary>Section <c>Reporting</c>.</summary>
public sealed class ReportingOptions
{
    public const string SectionName = "Reporting";

    /// <summary><c>Municipal</c> (default: consumes events, serves <c>/api/reports</c>) or <c>State</c> (imports submissions, serves <c>/api/state</c>).</summary>
    public ReportingMode Mode { get; set; } = ReportingMode.Municipal;

    /// <summary>Cells with a count from 1 to this value minus one are suppressed in anything that leaves the service; 0 or 1 turns suppression off.</summary>
    public int SmallCellThreshold { get; set; } = 5;
}

public enum ReportingMode
{
    Municipal,
    State,
}
