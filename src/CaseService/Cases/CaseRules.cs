using Kim.Contracts;

namespace Kim.CaseService.Cases;

/// <summary>
/// The state machine of a case (documented in <c>docs/state-machine.md</c>). Every method answers null when the
/// action is allowed, else the missing precondition. Pure: no clock, no database.
/// </summary>
public static class CaseRules
{
    private static readonly CasePhase[] Order =
    [
        CasePhase.Intake, CasePhase.Assessment, CasePhase.GoalAgreement, CasePhase.ServicePlanning,
        CasePhase.ServiceSteering, CasePhase.Monitoring, CasePhase.Closure,
    ];

    public static CasePhase? Next(CasePhase phase) => Index(phase) + 1 < Order.Length ? Order[Index(phase) + 1] : null;

    public static CasePhase? Previous(CasePhase phase) => Index(phase) > 0 ? Order[Index(phase) - 1] : null;

    public static bool IsAtLeast(CasePhase phase, CasePhase earliest) => Index(phase) >= Index(earliest);

    /// <summary>May the case move forward to <paramref name="to"/>? Closure has its own rule, <see cref="CanClose"/>.</summary>
    public static Refusal? CanAdvance(Case @case, CasePhase to, DateOnly today)
    {
        if (StatusRefusal(@case) is { } closed)
        {
            return closed;
        }

        // The advance API refuses Closure, but a case read asks what its next phase needs: after monitoring, the closure.
        if (to == CasePhase.Closure)
        {
            return CanClose(@case, @case.Goals.Where(g => g.Evaluation is not null).Select(g => g.Id).ToHashSet());
        }

        if (Next(@case.Phase) != to)
        {
            return Refusal.PhaseSkipped(@case.Phase, to);
        }

        return to switch
        {
            CasePhase.Assessment => CanOpenCaseManagement(@case, today),
            CasePhase.GoalAgreement => WithConsent(@case, today) ?? (@case.Assessments.Any(a => a.IsComplete) ? null : Refusal.AssessmentMissing()),
            CasePhase.ServicePlanning => WithConsent(@case, today) ?? (@case.AgreedGoals.Any() ? null : Refusal.AgreedGoalMissing()),
            CasePhase.ServiceSteering => WithConsent(@case, today) ?? (@case.PlanItems.Count > 0 ? null : Refusal.PlanItemMissing()),
            CasePhase.Monitoring => WithConsent(@case, today)
                ?? (@case.Referrals.Any(r => r.Status is not (ReferralStatus.Rejected or ReferralStatus.Cancelled)) ? null : Refusal.ReferralMissing()),
            _ => Refusal.PhaseSkipped(@case.Phase, to),
        };
    }

    /// <summary>Intake -> Assessment: the indication holds and the client consented to case management.</summary>
    public static Refusal? CanOpenCaseManagement(Case @case, DateOnly today)
    {
        if (@case.Indication is null)
        {
            return Refusal.IndicationMissing();
        }

        if (!@case.Indication.Indicated)
        {
            return Refusal.IndicationNegative();
        }

        return WithConsent(@case, today);
    }

    /// <summary>Intake may end as "not indicated" only while the case is in intake.</summary>
    public static Refusal? CanEndAsNotIndicated(Case @case) =>
        StatusRefusal(@case) ?? (@case.Phase == CasePhase.Intake ? null : Refusal.IntakeOver());

    /// <summary>The indication is decided during the intake.</summary>
    public static Refusal? CanDecideIndication(Case @case) => CanEndAsNotIndicated(@case);

    /// <summary>Closure: after the intake, with every agreed goal evaluated (<paramref name="evaluatedGoals"/>).</summary>
    public static Refusal? CanClose(Case @case, IReadOnlySet<Guid> evaluatedGoals)
    {
        if (StatusRefusal(@case) is { } refusal)
        {
            return refusal;
        }

        if (@case.Phase == CasePhase.Intake)
        {
            return Refusal.WrongPhase(@case.Phase, "Closure", CasePhase.Assessment);
        }

        var missing = @case.AgreedGoals.Count(g => !evaluatedGoals.Contains(g.Id));
        return missing == 0 ? null : Refusal.GoalEvaluationMissing(missing);
    }

    /// <summary>One phase back, with a reason; not from the first phase nor from a closed case.</summary>
    public static Refusal? CanStepBack(Case @case) =>
        StatusRefusal(@case) ?? (Previous(@case.Phase) is null ? Refusal.AtFirstPhase() : null);

    /// <summary>Reopening a closed case: it goes on in the phase it was closed from, under a valid consent.</summary>
    public static Refusal? CanReopen(Case @case, DateOnly today)
    {
        if (@case.Client.AnonymisedAt is not null)
        {
            return Refusal.Anonymised();
        }

        if (@case.Status != CaseStatus.Closed)
        {
            return Refusal.NotClosed();
        }

        return WithConsent(@case, today);
    }

    /// <summary>Work on the case (assessment, goals, plan, referrals, reviews) from phase <paramref name="earliest"/> on, under a valid consent.</summary>
    public static Refusal? CanWork(Case @case, CasePhase earliest, string action, DateOnly today)
    {
        if (StatusRefusal(@case) is { } refusal)
        {
            return refusal;
        }

        if (!IsAtLeast(@case.Phase, earliest))
        {
            return Refusal.WrongPhase(@case.Phase, action, earliest);
        }

        return WithConsent(@case, today);
    }

    /// <summary>A goal enters only with the client's agreement.</summary>
    public static Refusal? CanAgreeGoal(Case @case, bool clientAgreed, DateOnly today) =>
        CanWork(@case, CasePhase.GoalAgreement, "Ein Ziel vereinbaren", today) ?? (clientAgreed ? null : Refusal.ClientAgreementMissing());

    /// <summary>
    /// The organisation types of the case management itself: the coordinating office (a municipal office, the KI), and
    /// the carriers and member towns that hold forwarded CM positions under its supervision. Any other participant is
    /// an outside organisation. Types cannot tell the KI from another municipal office or one carrier's CM from its
    /// other services; a participant of such a type who is not part of the CM team makes the meeting a conference.
    /// </summary>
    public static readonly IReadOnlySet<OrganisationType> CaseManagementTypes =
        new HashSet<OrganisationType> { OrganisationType.MunicipalOffice, OrganisationType.Carrier, OrganisationType.MemberTown };

    /// <summary>
    /// A case review (Fallbesprechung) is held in the CM team with a coordinator; a case conference, and any meeting
    /// with outside organisations whatever its kind, needs the client's consent for it.
    /// </summary>
    public static Refusal? CanHoldReview(Case @case, CaseReviewKind kind, bool coordinatorPresent, DateOnly today, IEnumerable<OrganisationType>? participants = null)
    {
        if (CanWork(@case, CasePhase.Assessment, "Eine Fallbesprechung", today) is { } refusal)
        {
            return refusal;
        }

        if (kind == CaseReviewKind.Review && !coordinatorPresent)
        {
            return new Refusal("coordinator-missing", "Koordination nicht beteiligt", "Eine Fallbesprechung findet im CM-Team mit Koordinator:in statt.");
        }

        if (@case.Consents.Any(c => c.Covers(ConsentPurpose.CaseConference, today)))
        {
            return null;
        }

        if (kind == CaseReviewKind.Review && (participants ?? []).Any(p => !CaseManagementTypes.Contains(p)))
        {
            return new Refusal("consent-missing", "Einwilligung fehlt",
                "An der Besprechung nehmen Organisationen außerhalb des Case Managements teil; dafür ist wie bei einer "
                + "Fallkonferenz eine gültige Einwilligung der Klientin oder des Klienten zur Fallkonferenz nötig.");
        }

        return kind == CaseReviewKind.Conference ? Refusal.ConsentMissing(ConsentPurpose.CaseConference) : null;
    }

    private static Refusal? StatusRefusal(Case @case) => @case.Status switch
    {
        CaseStatus.Closed => Refusal.CaseClosed(),
        CaseStatus.NotIndicated => Refusal.CaseNotIndicated(),
        _ => null,
    };

    private static Refusal? WithConsent(Case @case, DateOnly today) =>
        @case.Consents.Any(c => c.Covers(ConsentPurpose.CaseManagement, today)) ? null : Refusal.ConsentMissing(ConsentPurpose.CaseManagement);

    private static int Index(CasePhase phase) => Array.IndexOf(Order, phase);
}
