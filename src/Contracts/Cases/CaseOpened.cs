namespace Kim.Contracts.Cases;

/// <summary>A case was opened in a tenant's CaseService (phase Intake).</summary>
public sealed record CaseOpened : CaseIntegrationEvent
{
    /// <summary>Age band of the client at opening, e.g. <c>18-26</c>; see <see cref="AgeBands"/>.</summary>
    public required string AgeBand { get; init; }

    /// <summary>Residence-status category (glossary list) or <c>Unknown</c>.</summary>
    public required string ResidenceCategory { get; init; }

    /// <summary>How the client came to case management, e.g. <c>SelfReferral</c>, <c>Referral</c>; <c>Unknown</c> when not recorded.</summary>
    public required string AccessRoute { get; init; }
}
