using System.Globalization;
using System.Text.RegularExpressions;

namespace Kim.WebApp.Components.Pages.Submission;

/// <summary>How a survey question is answered.</summary>
public enum AnswerKind
{
    Choice,
    YesNo,
    Number,
    Rating,
}

/// <summary>A question of the state's implementation survey (STATE_SUBMISSION.md): its answer path, German wording and answers.</summary>
public sealed record Question(string Path, string Section, string Label, AnswerKind Kind, IReadOnlyList<string> Values)
{
    /// <summary>The select list: the document's value and its German label.</summary>
    public IEnumerable<(string Value, string Text)> Options => Kind switch
    {
        AnswerKind.YesNo => [("true", "ja"), ("false", "nein")],
        AnswerKind.Rating => Enumerable.Range(1, 5).Select(i => (i.ToString(CultureInfo.InvariantCulture), Survey.Rating(i))),
        _ => Values.Select(v => (v, Survey.Label(v))),
    };
}

/// <summary>
/// The German wording of the survey behind the municipal submission and the state report: sections, questions and
/// answer labels (as the evaluation report prints them), shared by the submission, monitoring and the ministry's view.
/// </summary>
public static partial class Survey
{
    private static readonly string[] YesNoPlanned = ["Yes", "No", "Planned"];
    private static readonly string[] Frequencies = ["WeeklyOrMore", "SeveralPerMonth", "Monthly", "LessThanMonthly", "Planned", "No"];

    public static readonly IReadOnlyList<Question> Questions =
    [
        new("projectOrganisation.teamStructure", "Projektorganisation", "Teamstruktur der Koordinierenden Stelle", AnswerKind.Choice, ["Developed", "WeaklyDeveloped", "NotDescribed"]),
        new("projectOrganisation.coordinatingOfficeDecidesStrategically", "Projektorganisation", "Entscheidet die Koordinierende Stelle strategisch mit?", AnswerKind.YesNo, []),
        new("projectOrganisation.steeringGroup", "Projektorganisation", "Lenkungsgruppe", AnswerKind.Choice, ["Established", "Planned", "None"]),
        new("projectOrganisation.steeringGroupMeetings", "Projektorganisation", "Sitzungen der Lenkungsgruppe", AnswerKind.Number, []),
        new("projectOrganisation.rulesOfProcedure", "Projektorganisation", "Geschäftsordnung", AnswerKind.Choice, YesNoPlanned),
        new("projectOrganisation.resolutionsBinding", "Projektorganisation", "Sind Beschlüsse der Lenkungsgruppe verbindlich?", AnswerKind.YesNo, []),
        new("projectOrganisation.steeringGroupComposition", "Projektorganisation", "Zusammensetzung der Lenkungsgruppe", AnswerKind.Choice, ["AdministrationDominated", "Parity", "Other"]),
        new("projectOrganisation.strategicSteeringIsTask", "Projektorganisation", "Ist strategische Steuerung Aufgabe der Lenkungsgruppe?", AnswerKind.YesNo, []),
        new("network.migrantOrganisationsInSteeringGroup", "Netzwerk", "Migrant:innenselbstorganisationen in der Lenkungsgruppe", AnswerKind.Choice, ["Yes", "No", "OtherForms"]),
        new("network.networkFunction", "Netzwerk", "Funktion des Netzwerks", AnswerKind.Choice, ["Information", "Negotiation", "JointPlanning"]),
        new("network.jointTeamSessionsWithCarriers", "Netzwerk", "Gemeinsame Teamsitzungen mit den Trägern", AnswerKind.YesNo, []),
        new("caseManagement.casesTaken", "Case Management", "Anzahl CM-Fälle", AnswerKind.Number, []),
        new("caseManagement.forwardedToCarriers", "Case Management", "Weiterleitung von CM-Stellen an die Freie Wohlfahrt", AnswerKind.Choice, YesNoPlanned),
        new("caseManagement.forwardedToMemberTowns", "Case Management", "Weiterleitung von CM-Stellen an kreisangehörige Kommunen", AnswerKind.Choice, ["Yes", "No", "Planned", "NotApplicable"]),
        new("caseManagement.superordinateCoordination", "Case Management", "Übergeordnete Koordination KIM CM", AnswerKind.YesNo, []),
        new("caseManagement.cmConcept", "Case Management", "Gemeinsames CM-Konzept", AnswerKind.Choice, YesNoPlanned),
        new("caseManagement.crossDomainConcept", "Case Management", "Rechtskreisübergreifendes Konzept", AnswerKind.Choice, YesNoPlanned),
        new("caseManagement.commonInstruments.assessment", "Case Management", "Gemeinsames Instrument: Assessment", AnswerKind.YesNo, []),
        new("caseManagement.commonInstruments.goalPlanning", "Case Management", "Gemeinsames Instrument: Zielplanung", AnswerKind.YesNo, []),
        new("caseManagement.commonInstruments.servicePlanning", "Case Management", "Gemeinsames Instrument: Hilfeplanung", AnswerKind.YesNo, []),
        new("caseManagement.commonInstruments.serviceSteering", "Case Management", "Gemeinsames Instrument: Leistungssteuerung", AnswerKind.YesNo, []),
        new("caseManagement.caseReviewFrequency", "Case Management", "Gemeinsame Fallbesprechungen aller Case Manager:innen", AnswerKind.Choice, Frequencies),
        new("caseManagement.caseReconstructionFrequency", "Case Management", "Gemeinsame Fallrekonstruktionen aller Case Manager:innen", AnswerKind.Choice, Frequencies),
        new("caseBasis.workingGroups", "Fallbasierung", "Anzahl Projektarbeitsgruppen", AnswerKind.Number, []),
        new("caseBasis.workingGroupsWithWrittenMandate", "Fallbasierung", "Projektarbeitsgruppen mit schriftlichem Arbeitsauftrag", AnswerKind.Number, []),
        new("caseBasis.workingGroupsCaseBased", "Fallbasierung", "Arbeiten die Projektarbeitsgruppen fallbasiert?", AnswerKind.YesNo, []),
        new("caseBasis.transferCaseToSystem", "Fallbasierung", "Übertragung vom Einzelfall auf die Strukturebene", AnswerKind.Choice, ["Implemented", "Planned", "No"]),
        new("systemLevel.goalSystem", "Strukturebene", "Zielsystem", AnswerKind.Choice, YesNoPlanned),
        new("systemLevel.serviceChains", "Strukturebene", "Dienstleistungsketten", AnswerKind.Choice, YesNoPlanned),
        new("reflection.systematicReflection", "Reflexion", "Systematische Reflexion", AnswerKind.YesNo, []),
        new("reflection.publicDiscussion", "Reflexion", "Öffentliche Diskussion", AnswerKind.YesNo, []),
        new("reflection.reportsToCouncil", "Reflexion", "Berichte an den Rat oder Kreistag", AnswerKind.YesNo, []),
        new("selfAssessment.municipal", "Selbsteinschätzung", "Bewertung des Umsetzungsprozesses in der Kommune", AnswerKind.Rating, []),
        new("selfAssessment.stateWide", "Selbsteinschätzung", "Bewertung des Umsetzungsprozesses landesweit", AnswerKind.Rating, []),
    ];

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["District"] = "Landkreis",
        ["IndependentCity"] = "kreisfreie Stadt",
        ["total"] = "Gesamt",
        ["noAnswer"] = "keine Angabe",
        ["Yes"] = "ja",
        ["No"] = "nein",
        ["Planned"] = "in Planung",
        ["NotApplicable"] = "entfällt",
        ["true"] = "ja",
        ["false"] = "nein",
        ["WeeklyOrMore"] = "ja, mind. wöchentlich",
        ["SeveralPerMonth"] = "ja, mehrmals im Monat",
        ["Monthly"] = "ja, monatlich",
        ["LessThanMonthly"] = "ja, seltener als 1x im Monat",
        ["Established"] = "eingerichtet",
        ["None"] = "nicht vorhanden",
        ["AdministrationDominated"] = "verwaltungsdominiert",
        ["Parity"] = "(fast) paritätisch",
        ["Other"] = "andere",
        ["OtherForms"] = "andere Formen",
        ["Information"] = "Information und Abstimmung",
        ["Negotiation"] = "Aushandlung",
        ["JointPlanning"] = "gemeinsames Planen",
        ["Developed"] = "ausgebaut",
        ["WeaklyDeveloped"] = "schwach ausgebaut",
        ["NotDescribed"] = "nicht beschrieben",
        ["Implemented"] = "umgesetzt",
        ["250+"] = "250 und mehr",
    };

    public static Question? Find(string path) => Questions.FirstOrDefault(q => q.Path == path);

    /// <summary>The German label of an answer value (enumeration names, true/false, bins); the value itself otherwise.</summary>
    public static string Label(string? value) => value is null ? "keine Angabe" : Labels.GetValueOrDefault(value, value);

    public static string Rating(int rating) => rating switch
    {
        1 => "1 (sehr gut)",
        5 => "5 (sehr schlecht)",
        _ => rating.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The question for a path, or the path when the survey does not know it.</summary>
    public static string QuestionOf(string? path) => path is null ? "–" : Find(path)?.Label ?? path;

    /// <summary>An answer as people read it: the label of the value, for ratings the scale's words.</summary>
    public static string Answer(string path, string? value) =>
        value is null ? "keine Angabe"
        : Find(path)?.Kind == AnswerKind.Rating && int.TryParse(value, CultureInfo.InvariantCulture, out var rating) ? Rating(rating)
        : Find(path)?.Kind == AnswerKind.Number ? value
        : Label(value);

    public static string Origin(string? origin) => origin switch
    {
        "LiveData" => "aus Live-Daten",
        "ManualAnswer" => "manuelle Angabe",
        _ => "noch keine Angabe",
    };

    public static string Kind(string? kind) => kind switch
    {
        "District" => "Landkreis",
        "IndependentCity" => "kreisfreie Stadt",
        _ => kind ?? "–",
    };

    /// <summary>
    /// One entry of the typology's "missing for the next type" (English, from the ReportingService) in German: the rule
    /// not met ("process dimensions 0.42 &lt; 0.50") or an indicator to raise ("Label: path value -> best").
    /// </summary>
    public static string Missing(string entry)
    {
        var rule = RuleNotMet().Match(entry);
        if (rule.Success)
        {
            var what = rule.Groups["what"].Value switch
            {
                "mean over all" => "Mittelwert aller sechs Dimensionen",
                "structure" => "Mittelwert der strukturbezogenen Dimensionen",
                _ => "Mittelwert der prozessbezogenen Dimensionen",
            };
            return $"{what}: {Decimal(rule.Groups["value"].Value)}, nötig sind {Decimal(rule.Groups["needed"].Value)}";
        }

        var unanswered = Unanswered().Match(entry);
        if (unanswered.Success)
        {
            var path = unanswered.Groups["path"].Value;
            return $"{unanswered.Groups["dimension"].Value}: „{QuestionOf(path)}“ beantworten (am stärksten: {Answer(path, unanswered.Groups["best"].Value)})";
        }

        var raise = Raise().Match(entry);
        if (raise.Success)
        {
            var path = raise.Groups["path"].Value;
            return $"{raise.Groups["dimension"].Value}: „{QuestionOf(path)}“ von {Answer(path, raise.Groups["value"].Value)} auf {Answer(path, raise.Groups["best"].Value)}";
        }

        return entry;
    }

    private static string Decimal(string invariant) =>
        double.TryParse(invariant, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value.ToString("0.00", Texts.German) : invariant;

    [GeneratedRegex(@"^(?<what>mean over all|structure|process) dimensions (?<value>[0-9.,]+) < (?<needed>[0-9.,]+)$")]
    private static partial Regex RuleNotMet();

    [GeneratedRegex(@"^(?<dimension>[^:]+): (?<path>[A-Za-z.]+) answer it \(best: (?<best>[^)]+)\)$")]
    private static partial Regex Unanswered();

    [GeneratedRegex(@"^(?<dimension>[^:]+): (?<path>[A-Za-z.]+) (?<value>\S+) -> (?<best>\S+)$")]
    private static partial Regex Raise();
}
