namespace Kim.CaseService.Cases;

/// <summary>
/// Why an action on a case is not allowed now: the missing precondition, answered as <c>409</c> with the problem
/// type <c>urn:kim:problem:precondition:{Code}</c> (see <c>docs/state-machine.md</c>).
/// </summary>
public sealed record Refusal(string Code, string Title, string Detail)
{
    public const string TypePrefix = "urn:kim:problem:precondition:";

    public string Type => TypePrefix + Code;

    public static Refusal CaseClosed() => new("case-closed", "Fall abgeschlossen", "The case is closed; reopen it first.");

    public static Refusal CaseNotIndicated() => new("case-not-indicated", "Kein Case Management indiziert", "Intake ended with case management not indicated; no case continues.");

    public static Refusal PhaseSkipped(Contracts.CasePhase from, Contracts.CasePhase to) =>
        new("phase-skipped", "Phase kann nicht übersprungen werden", $"From {from} the next phase is {CaseRules.Next(from)?.ToString() ?? "none"}, not {to}.");

    public static Refusal WrongPhase(Contracts.CasePhase phase, string action, Contracts.CasePhase earliest) =>
        new("wrong-phase", "Aktion in dieser Phase nicht möglich", $"{action} is possible from phase {earliest} on; the case is in {phase}.");

    public static Refusal IndicationMissing() =>
        new("indication-missing", "Indikation fehlt", "Record the indication decision (target group, willingness to cooperate, communication possible) first.");

    public static Refusal IndicationNegative() =>
        new("indication-negative", "Case Management nicht indiziert", "Not every indication criterion holds; end the intake as not indicated instead.");

    public static Refusal ConsentMissing(Contracts.ConsentPurpose purpose) =>
        new("consent-missing", "Einwilligung fehlt", $"No given, unexpired consent for the purpose {purpose} covers this.");

    public static Refusal AssessmentMissing() =>
        new("assessment-missing", "Assessment unvollständig", "Assess at least one life domain with situation, resources, needs and the client's own view.");

    public static Refusal AgreedGoalMissing() =>
        new("agreed-goal-missing", "Kein vereinbartes Ziel", "Service planning needs at least one goal agreed with the client.");

    public static Refusal ClientAgreementMissing() =>
        new("client-agreement-missing", "Zustimmung der Klientin/des Klienten fehlt", "A goal enters only with the client's agreement.");

    public static Refusal PlanItemMissing() =>
        new("plan-item-missing", "Hilfeplan leer", "Service steering needs at least one plan item.");

    public static Refusal ReferralMissing() =>
        new("referral-missing", "Keine Vermittlung", "Monitoring needs at least one referral that was not rejected or cancelled.");

    public static Refusal GoalEvaluationMissing(int missing) =>
        new("goal-evaluation-missing", "Zielbewertung fehlt", $"Closure needs an evaluation of every agreed goal; {missing} missing.");

    public static Refusal NotClosed() => new("case-not-closed", "Fall nicht abgeschlossen", "Only a closed case can be reopened.");

    public static Refusal AtFirstPhase() => new("first-phase", "Keine vorherige Phase", "The case is in its first phase.");

    public static Refusal IntakeOver() =>
        new("intake-over", "Erstberatung beendet", "The indication is decided during the intake; the case has left it.");

    public static Refusal Anonymised() => new("case-anonymised", "Fall anonymisiert", "The case was anonymised after its retention period.");
}
