using System.Text.Json.Nodes;

namespace Kim.ReportingService.State;

/// <summary>The six target dimensions of the 2022 evaluation (chapter 5.4).</summary>
public enum Dimension
{
    ProjectOrganisation,
    NetworkApproach,
    CaseManagementApproach,
    CaseBasis,
    CaseToSystem,
    Reflection,
}

/// <summary>The four implementation types of Abb. 6, from least to most developed.</summary>
public enum ImplementationType
{
    PurelyInstitutionOriented,
    RatherInstitutionOriented,
    RatherProcessOriented,
    ProcessOriented,
}

/// <summary>Section <c>Reporting:Typology</c>: the thresholds of the type rules (docs/typology.md).</summary>
public sealed class TypologyOptions
{
    /// <summary>Below this mean over all six dimensions: rein institutionsorientiert.</summary>
    public double InitialBelow { get; set; } = 0.25;

    /// <summary>Process dimensions (network, CM, case basis) at least this, and overall at least <see cref="RatherProcessMean"/>: eher prozessorientiert.</summary>
    public double RatherProcessScore { get; set; } = 0.5;

    public double RatherProcessMean { get; set; } = 0.45;

    /// <summary>Both structure and process dimensions at least this, and overall at least <see cref="ProcessMean"/>: prozessorientiert.</summary>
    public double ProcessScore { get; set; } = 0.65;

    public double ProcessMean { get; set; } = 0.7;
}

public sealed record IndicatorScore(string Path, Dimension Dimension, string? Value, double Score, string Origin, string? ToImprove);

public sealed record DimensionScore(Dimension Dimension, string Label, double Score);

public sealed record TypeAssessment(
    ImplementationType Type, string TypeLabel, IReadOnlyList<DimensionScore> Dimensions, double Mean, double Structure, double Process,
    IReadOnlyList<IndicatorScore> Indicators, IReadOnlyList<string> MissingForNextType);

/// <summary>
/// The scoring model: each indicator maps an answer to 0..1, a dimension is the mean of its indicators, the type
/// follows from the means of the structure dimensions (project organisation, case-to-system, reflection) and the
/// process dimensions (network, CM, case basis) as the evaluation split them. Documented in docs/typology.md.
/// </summary>
public static class Typology
{
    /// <summary>The measured indicator of handovers along service chains: the share of chain referrals handed over within their target.</summary>
    public const string HandoverWithinTarget = "measured.chainHandoverWithinTarget";

    /// <summary>The handover indicator for a share kept within target; null (not measured) adds nothing.</summary>
    public static IReadOnlyList<IndicatorScore> Handover(double? withinTarget) => withinTarget is { } share
        ? [new IndicatorScore(HandoverWithinTarget, Dimension.CaseToSystem, share.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), share, "LiveData",
            share >= 1 ? null : "hand over more referrals along the service chains within their target days")]
        : [];

    public static readonly IReadOnlyDictionary<Dimension, string> Labels = new Dictionary<Dimension, string>
    {
        [Dimension.ProjectOrganisation] = "Eigenständige Projektorganisation",
        [Dimension.NetworkApproach] = "Netzwerkansatz",
        [Dimension.CaseManagementApproach] = "Umfassender CM-Ansatz",
        [Dimension.CaseBasis] = "Fallbasierung",
        [Dimension.CaseToSystem] = "Vermittlung Einzelfall- zur Strukturebene",
        [Dimension.Reflection] = "Reflexion",
    };

    public static readonly IReadOnlyDictionary<ImplementationType, string> TypeLabels = new Dictionary<ImplementationType, string>
    {
        [ImplementationType.PurelyInstitutionOriented] = "rein institutionsorientiert",
        [ImplementationType.RatherInstitutionOriented] = "eher institutionsorientiert",
        [ImplementationType.RatherProcessOriented] = "eher prozessorientiert",
        [ImplementationType.ProcessOriented] = "prozessorientiert",
    };

    private static readonly Dimension[] Structure = [Dimension.ProjectOrganisation, Dimension.CaseToSystem, Dimension.Reflection];
    private static readonly Dimension[] Process = [Dimension.NetworkApproach, Dimension.CaseManagementApproach, Dimension.CaseBasis];

    private static readonly Dictionary<string, double> YesPlanned = new() { ["Yes"] = 1, ["Planned"] = 0.3, ["No"] = 0 };
    private static readonly Dictionary<string, double> Frequency = new()
    {
        ["WeeklyOrMore"] = 1,
        ["SeveralPerMonth"] = 0.9,
        ["Monthly"] = 0.7,
        ["LessThanMonthly"] = 0.4,
        ["Planned"] = 0.1,
        ["No"] = 0,
    };

    private static readonly Dictionary<string, double> Flag = new() { ["true"] = 1, ["false"] = 0 };

    /// <summary>The indicators: answer path, dimension, score per answer, and the answer that scores best.</summary>
    public static readonly IReadOnlyList<(string Path, Dimension Dimension, IReadOnlyDictionary<string, double> Scores, string Best)> Indicators =
    [
        ("projectOrganisation.teamStructure", Dimension.ProjectOrganisation, new Dictionary<string, double> { ["Developed"] = 1, ["WeaklyDeveloped"] = 0.5, ["NotDescribed"] = 0 }, "Developed"),
        ("projectOrganisation.coordinatingOfficeDecidesStrategically", Dimension.ProjectOrganisation, Flag, "true"),
        ("projectOrganisation.steeringGroup", Dimension.ProjectOrganisation, new Dictionary<string, double> { ["Established"] = 1, ["Planned"] = 0.3, ["None"] = 0 }, "Established"),
        ("projectOrganisation.rulesOfProcedure", Dimension.ProjectOrganisation, YesPlanned, "Yes"),
        ("projectOrganisation.resolutionsBinding", Dimension.ProjectOrganisation, Flag, "true"),
        ("projectOrganisation.strategicSteeringIsTask", Dimension.ProjectOrganisation, Flag, "true"),
        ("network.migrantOrganisationsInSteeringGroup", Dimension.NetworkApproach, new Dictionary<string, double> { ["Yes"] = 1, ["OtherForms"] = 0.5, ["No"] = 0 }, "Yes"),
        ("network.networkFunction", Dimension.NetworkApproach, new Dictionary<string, double> { ["JointPlanning"] = 1, ["Negotiation"] = 0.6, ["Information"] = 0.2 }, "JointPlanning"),
        ("network.jointTeamSessionsWithCarriers", Dimension.NetworkApproach, Flag, "true"),
        ("projectOrganisation.steeringGroupComposition", Dimension.NetworkApproach, new Dictionary<string, double> { ["Parity"] = 1, ["Other"] = 0.5, ["AdministrationDominated"] = 0.2 }, "Parity"),
        ("caseManagement.casesTaken", Dimension.CaseManagementApproach, new Dictionary<string, double> { ["0"] = 0, ["1-19"] = 0.5, ["20-49"] = 1, ["50-99"] = 1, ["100-249"] = 1, ["250+"] = 1 }, "20-49"),
        ("caseManagement.superordinateCoordination", Dimension.CaseManagementApproach, Flag, "true"),
        ("caseManagement.cmConcept", Dimension.CaseManagementApproach, YesPlanned, "Yes"),
        ("caseManagement.crossDomainConcept", Dimension.CaseManagementApproach, YesPlanned, "Yes"),
        ("caseManagement.commonInstruments.assessment", Dimension.CaseManagementApproach, Flag, "true"),
        ("caseManagement.commonInstruments.goalPlanning", Dimension.CaseManagementApproach, Flag, "true"),
        ("caseManagement.commonInstruments.servicePlanning", Dimension.CaseManagementApproach, Flag, "true"),
        ("caseManagement.commonInstruments.serviceSteering", Dimension.CaseManagementApproach, Flag, "true"),
        ("caseManagement.caseReviewFrequency", Dimension.CaseBasis, Frequency, "WeeklyOrMore"),
        ("caseManagement.caseReconstructionFrequency", Dimension.CaseBasis, Frequency, "WeeklyOrMore"),
        ("caseBasis.workingGroupsCaseBased", Dimension.CaseBasis, Flag, "true"),
        ("caseBasis.transferCaseToSystem", Dimension.CaseToSystem, new Dictionary<string, double> { ["Implemented"] = 1, ["Planned"] = 0.3, ["No"] = 0 }, "Implemented"),
        ("caseBasis.workingGroupsWithWrittenMandate", Dimension.CaseToSystem, new Dictionary<string, double> { ["0"] = 0 }, "1"),
        ("systemLevel.goalSystem", Dimension.CaseToSystem, YesPlanned, "Yes"),
        ("systemLevel.serviceChains", Dimension.CaseToSystem, YesPlanned, "Yes"),
        ("reflection.systematicReflection", Dimension.Reflection, Flag, "true"),
        ("reflection.publicDiscussion", Dimension.Reflection, Flag, "true"),
        ("reflection.reportsToCouncil", Dimension.Reflection, Flag, "true"),
    ];

    /// <summary>
    /// The assessment of a submission; <paramref name="measured"/> adds indicators the municipality's platform measures
    /// beyond the survey (the handovers along service chains), which count only where measured (docs/typology.md).
    /// </summary>
    public static TypeAssessment Assess(JsonNode document, TypologyOptions options, IReadOnlyList<IndicatorScore>? measured = null)
    {
        var origins = document["origins"] as JsonObject;
        var indicators = Indicators.Select(indicator =>
        {
            var value = CrossTables.ValueAt(document, indicator.Path);
            var score = value is null ? 0 : indicator.Scores.TryGetValue(value, out var s) ? s : int.TryParse(value, out var count) && count > 0 ? 1 : 0;
            var origin = origins?[indicator.Path]?.ToString() ?? "ManualAnswer";
            var improve = score >= 1 ? null : value is null ? $"answer it (best: {indicator.Best})" : $"{value} -> {indicator.Best}";
            return new IndicatorScore(indicator.Path, indicator.Dimension, value, score, origin, improve);
        }).Concat(measured ?? []).ToList();

        var dimensions = Enum.GetValues<Dimension>()
            .Select(d => new DimensionScore(d, Labels[d], Round(indicators.Where(i => i.Dimension == d).Average(i => i.Score))))
            .ToList();
        double Mean(IEnumerable<Dimension> set) => Round(dimensions.Where(d => set.Contains(d.Dimension)).Average(d => d.Score));
        var mean = Round(dimensions.Average(d => d.Score));
        var structure = Mean(Structure);
        var process = Mean(Process);
        var type = TypeOf(mean, structure, process, options);

        var missing = new List<string>();
        if (type != ImplementationType.ProcessOriented)
        {
            var next = type + 1;
            var (needMean, needStructure, needProcess) = next switch
            {
                ImplementationType.RatherInstitutionOriented => (options.InitialBelow, 0.0, 0.0),
                ImplementationType.RatherProcessOriented => (options.RatherProcessMean, 0.0, options.RatherProcessScore),
                _ => (options.ProcessMean, options.ProcessScore, options.ProcessScore),
            };
            if (mean < needMean)
            {
                missing.Add($"mean over all dimensions {mean:0.00} < {needMean:0.00}");
            }

            if (structure < needStructure)
            {
                missing.Add($"structure dimensions {structure:0.00} < {needStructure:0.00}");
            }

            if (process < needProcess)
            {
                missing.Add($"process dimensions {process:0.00} < {needProcess:0.00}");
            }

            var focus = structure < needStructure && process >= needProcess ? Structure : process < needProcess && structure >= needStructure ? Process : Enum.GetValues<Dimension>();
            missing.AddRange(indicators.Where(i => i.ToImprove is not null && focus.Contains(i.Dimension)).OrderBy(i => i.Score).Take(5)
                .Select(i => $"{Labels[i.Dimension]}: {i.Path} {i.ToImprove}"));
        }

        return new TypeAssessment(type, TypeLabels[type], dimensions, mean, structure, process, indicators, missing);
    }

    public static ImplementationType TypeOf(double mean, double structure, double process, TypologyOptions options)
    {
        if (mean < options.InitialBelow)
        {
            return ImplementationType.PurelyInstitutionOriented;
        }

        if (mean >= options.ProcessMean && structure >= options.ProcessScore && process >= options.ProcessScore)
        {
            return ImplementationType.ProcessOriented;
        }

        return process >= options.RatherProcessScore && mean >= options.RatherProcessMean
            ? ImplementationType.RatherProcessOriented
            : ImplementationType.RatherInstitutionOriented;
    }

    private static double Round(double value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);
}
