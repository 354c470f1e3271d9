namespace Kim.CaseService.Cases;

/// <summary>
/// Why an action on a case is not allowed now: the missing precondition, answered as <c>409</c> with the problem
/// type <c>urn:kim:problem:precondition:{Code}</c> (see <c>docs/state-machine.md</c>).
/// </summary>
public sealed record Refusal(string Code, string Title, string Detail)
{
    public const string TypePrefix = "urn:kim:problem:precondition:";

    public string Type => TypePrefix + Code;

    public static Refusal CaseClosed() => new("case-closed", "Fall abgeschlossen", "Der Fall ist abgeschlossen; öffnen Sie ihn zuerst wieder.");

    public static Refusal CaseNotIndicated() => new("case-not-indicated", "Kein Case Management indiziert", "Die Erstberatung endete ohne Indikation für Case Management; der Fall wird nicht fortgeführt.");

    public static Refusal PhaseSkipped(Contracts.CasePhase from, Contracts.CasePhase to) =>
        new("phase-skipped", "Phase kann nicht übersprungen werden", $"Auf die Phase {Label(from)} folgt {(CaseRules.Next(from) is { } next ? "die Phase " + Label(next) : "keine weitere Phase")}, nicht {Label(to)}.");

    public static Refusal WrongPhase(Contracts.CasePhase phase, string action, Contracts.CasePhase earliest) =>
        new("wrong-phase", "Aktion in dieser Phase nicht möglich", $"{action} ist ab der Phase {Label(earliest)} möglich; der Fall ist in der Phase {Label(phase)}.");

    public static Refusal IndicationMissing() =>
        new("indication-missing", "Indikation fehlt", "Halten Sie zuerst die Entscheidung zur Indikation fest (Zielgruppe, Mitarbeit, Kommunikation möglich).");

    public static Refusal IndicationNegative() =>
        new("indication-negative", "Case Management nicht indiziert", "Nicht jedes Kriterium der Indikation ist erfüllt; beenden Sie die Erstberatung stattdessen als nicht indiziert.");

    public static Refusal ConsentMissing(Contracts.ConsentPurpose purpose) =>
        new("consent-missing", "Einwilligung fehlt", $"Keine erteilte, nicht abgelaufene Einwilligung für den Zweck {Label(purpose)} deckt dies ab.");

    public static Refusal AssessmentMissing() =>
        new("assessment-missing", "Assessment unvollständig", "Erfassen Sie mindestens einen Lebensbereich mit Situation, Ressourcen, Bedarfen und der Sicht der Klientin oder des Klienten.");

    public static Refusal AgreedGoalMissing() =>
        new("agreed-goal-missing", "Kein vereinbartes Ziel", "Die Hilfeplanung braucht mindestens ein mit der Klientin oder dem Klienten vereinbartes Ziel.");

    public static Refusal ClientAgreementMissing() =>
        new("client-agreement-missing", "Zustimmung der Klientin/des Klienten fehlt", "Ein Ziel wird nur mit Zustimmung der Klientin oder des Klienten aufgenommen.");

    public static Refusal PlanItemMissing() =>
        new("plan-item-missing", "Hilfeplan leer", "Die Leistungssteuerung braucht mindestens einen Eintrag im Hilfeplan.");

    public static Refusal ReferralMissing() =>
        new("referral-missing", "Keine Vermittlung", "Das Monitoring braucht mindestens eine Vermittlung, die weder abgelehnt noch abgebrochen wurde.");

    public static Refusal GoalEvaluationMissing(int missing) =>
        new("goal-evaluation-missing", "Zielbewertung fehlt", $"Der Abschluss braucht eine Bewertung jedes vereinbarten Ziels; es fehlen {missing}.");

    public static Refusal NotClosed() => new("case-not-closed", "Fall nicht abgeschlossen", "Nur ein abgeschlossener Fall kann wieder geöffnet werden.");

    public static Refusal AtFirstPhase() => new("first-phase", "Keine vorherige Phase", "Der Fall ist in seiner ersten Phase.");

    public static Refusal IntakeOver() =>
        new("intake-over", "Erstberatung beendet", "Über die Indikation wird in der Erstberatung entschieden; der Fall hat sie verlassen.");

    public static Refusal Anonymised() => new("case-anonymised", "Fall anonymisiert", "Der Fall wurde nach Ablauf seiner Aufbewahrungsfrist anonymisiert.");

    /// <summary>The German name of a phase (glossary), for details people read.</summary>
    public static string Label(Contracts.CasePhase phase) => phase switch
    {
        Contracts.CasePhase.Intake => "Erstberatung",
        Contracts.CasePhase.Assessment => "Assessment",
        Contracts.CasePhase.GoalAgreement => "Zielvereinbarung",
        Contracts.CasePhase.ServicePlanning => "Hilfeplanung",
        Contracts.CasePhase.ServiceSteering => "Leistungssteuerung",
        Contracts.CasePhase.Monitoring => "Monitoring",
        Contracts.CasePhase.Closure => "Abschluss und Auswertung",
        _ => phase.ToString(),
    };

    private static string Label(Contracts.ConsentPurpose purpose) => purpose switch
    {
        Contracts.ConsentPurpose.CaseManagement => "Case Management",
        Contracts.ConsentPurpose.CaseConference => "Fallkonferenz",
        Contracts.ConsentPurpose.DataTransferToProvider => "Weitergabe an Leistungserbringer",
        Contracts.ConsentPurpose.PlanningPseudonymised => "pseudonymisierte Planung",
        _ => purpose.ToString(),
    };
}
