using Kim.CaseService.Cases;
using Kim.CaseService.Consents;
using Kim.CaseService.Referrals;
using Kim.Contracts;

namespace Kim.UnitTests.Cases;

/// <summary>Every transition of docs/state-machine.md, allowed and refused.</summary>
public sealed class CaseRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    /// <summary>A case in <paramref name="phase"/> that meets every precondition of the phases before it.</summary>
    internal static Case CaseIn(CasePhase phase, bool consent = true)
    {
        var c = new Case { Id = Guid.NewGuid(), CaseKey = "key", AssignedTo = "anna", Client = new Client { Id = Guid.NewGuid() }, Phase = phase };
        c.Indication = new Indication(true, true, true, DateTime.UtcNow, "anna");
        if (consent)
        {
            c.Consents.Add(Consent(ConsentPurpose.CaseManagement));
        }

        c.Assessments.Add(new LifeDomainAssessment { LifeDomain = LifeDomain.Housing, Situation = "s", Resources = "r", Needs = "n", ClientView = "v" });
        c.Goals.Add(new Goal { Id = Guid.NewGuid(), LifeDomain = LifeDomain.Housing, AgreedAt = DateTime.UtcNow });
        c.PlanItems.Add(new PlanItem { Id = Guid.NewGuid(), Title = "t", ResponsibleOrganisationName = "o" });
        c.Referrals.Add(new Referral { Id = Guid.NewGuid(), ProviderOrganisationName = "o" });
        return c;
    }

    internal static Consent Consent(ConsentPurpose purpose, ConsentStatus status = ConsentStatus.Given, DateOnly? expires = null, Guid? provider = null, OrganisationType? type = null) =>
        new() { Id = Guid.NewGuid(), Purpose = purpose, Status = status, ExpiresOn = expires ?? Today.AddYears(1), RecordedBy = "anna", ProviderOrganisationId = provider, ProviderType = type };

    public static TheoryData<CasePhase, CasePhase> ForwardSteps => new()
    {
        { CasePhase.Intake, CasePhase.Assessment },
        { CasePhase.Assessment, CasePhase.GoalAgreement },
        { CasePhase.GoalAgreement, CasePhase.ServicePlanning },
        { CasePhase.ServicePlanning, CasePhase.ServiceSteering },
        { CasePhase.ServiceSteering, CasePhase.Monitoring },
    };

    [Theory]
    [MemberData(nameof(ForwardSteps))]
    public void Each_phase_advances_to_the_next_when_its_preconditions_hold(CasePhase from, CasePhase to) =>
        Assert.Null(CaseRules.CanAdvance(CaseIn(from), to, Today));

    [Theory]
    [MemberData(nameof(ForwardSteps))]
    public void No_phase_advances_without_the_consent_for_case_management(CasePhase from, CasePhase to) =>
        Assert.Equal("consent-missing", CaseRules.CanAdvance(CaseIn(from, consent: false), to, Today)?.Code);

    [Theory]
    [InlineData(CasePhase.Intake, CasePhase.GoalAgreement)]
    [InlineData(CasePhase.Assessment, CasePhase.ServicePlanning)]
    [InlineData(CasePhase.Monitoring, CasePhase.Assessment)]
    [InlineData(CasePhase.Assessment, CasePhase.Assessment)]
    public void Skipping_or_going_back_by_advance_is_refused(CasePhase from, CasePhase to) =>
        Assert.Equal("phase-skipped", CaseRules.CanAdvance(CaseIn(from), to, Today)?.Code);

    [Fact]
    public void Intake_needs_a_decided_and_positive_indication()
    {
        var undecided = CaseIn(CasePhase.Intake);
        undecided.Indication = null;
        Assert.Equal("indication-missing", CaseRules.CanAdvance(undecided, CasePhase.Assessment, Today)?.Code);

        foreach (var negative in new[] { new Indication(false, true, true, DateTime.UtcNow, "a"), new Indication(true, false, true, DateTime.UtcNow, "a"), new Indication(true, true, false, DateTime.UtcNow, "a") })
        {
            var c = CaseIn(CasePhase.Intake);
            c.Indication = negative;
            Assert.Equal("indication-negative", CaseRules.CanAdvance(c, CasePhase.Assessment, Today)?.Code);
        }
    }

    [Fact]
    public void Assessment_needs_one_life_domain_with_situation_resources_needs_and_the_clients_view()
    {
        var c = CaseIn(CasePhase.Assessment);
        c.Assessments[0].ClientView = " ";
        Assert.Equal("assessment-missing", CaseRules.CanAdvance(c, CasePhase.GoalAgreement, Today)?.Code);
        c.Assessments.Add(new LifeDomainAssessment { LifeDomain = LifeDomain.Health, Situation = "s", Resources = "r", Needs = "n", ClientView = "v" });
        Assert.Null(CaseRules.CanAdvance(c, CasePhase.GoalAgreement, Today));
    }

    [Fact]
    public void Service_planning_needs_an_agreed_goal_steering_a_plan_item_monitoring_a_live_referral()
    {
        var planning = CaseIn(CasePhase.GoalAgreement);
        planning.Goals.Clear();
        Assert.Equal("agreed-goal-missing", CaseRules.CanAdvance(planning, CasePhase.ServicePlanning, Today)?.Code);
        planning.Goals.Add(new Goal { Id = Guid.NewGuid(), AgreedAt = null });
        Assert.Equal("agreed-goal-missing", CaseRules.CanAdvance(planning, CasePhase.ServicePlanning, Today)?.Code);

        var steering = CaseIn(CasePhase.ServicePlanning);
        steering.PlanItems.Clear();
        Assert.Equal("plan-item-missing", CaseRules.CanAdvance(steering, CasePhase.ServiceSteering, Today)?.Code);

        var monitoring = CaseIn(CasePhase.ServiceSteering);
        monitoring.Referrals[0].Status = ReferralStatus.Rejected;
        Assert.Equal("referral-missing", CaseRules.CanAdvance(monitoring, CasePhase.Monitoring, Today)?.Code);
        monitoring.Referrals.Add(new Referral { ProviderOrganisationName = "o", Status = ReferralStatus.Cancelled });
        Assert.Equal("referral-missing", CaseRules.CanAdvance(monitoring, CasePhase.Monitoring, Today)?.Code);
        monitoring.Referrals.Add(new Referral { ProviderOrganisationName = "o", Status = ReferralStatus.Completed });
        Assert.Null(CaseRules.CanAdvance(monitoring, CasePhase.Monitoring, Today));
    }

    [Fact]
    public void Closure_needs_every_agreed_goal_evaluated_and_not_from_intake()
    {
        var c = CaseIn(CasePhase.Monitoring);
        var second = new Goal { Id = Guid.NewGuid(), AgreedAt = DateTime.UtcNow };
        c.Goals.Add(second);
        Assert.Equal("goal-evaluation-missing", CaseRules.CanClose(c, new HashSet<Guid> { c.Goals[0].Id })?.Code);
        Assert.Null(CaseRules.CanClose(c, new HashSet<Guid> { c.Goals[0].Id, second.Id }));
        var early = CaseIn(CasePhase.Assessment);
        Assert.Null(CaseRules.CanClose(early, early.Goals.Select(g => g.Id).ToHashSet()));
        Assert.Equal("wrong-phase", CaseRules.CanClose(CaseIn(CasePhase.Intake), new HashSet<Guid>())?.Code);
    }

    [Theory]
    [InlineData(CaseStatus.Closed, "case-closed")]
    [InlineData(CaseStatus.NotIndicated, "case-not-indicated")]
    public void An_ended_case_refuses_every_action_but_reopening_a_closed_one(CaseStatus status, string code)
    {
        var c = CaseIn(CasePhase.Monitoring);
        c.Status = status;
        Assert.Equal(code, CaseRules.CanAdvance(c, CasePhase.Closure, Today)?.Code);
        Assert.Equal(code, CaseRules.CanStepBack(c)?.Code);
        Assert.Equal(code, CaseRules.CanClose(c, new HashSet<Guid>())?.Code);
        Assert.Equal(code, CaseRules.CanWork(c, CasePhase.Assessment, "x", Today)?.Code);
        Assert.Equal(code, CaseRules.CanEndAsNotIndicated(c)?.Code);
        Assert.Equal(status == CaseStatus.Closed ? null : "case-not-closed", CaseRules.CanReopen(c, Today)?.Code);
    }

    [Fact]
    public void Reopening_needs_a_closed_case_a_valid_consent_and_personal_data_not_yet_anonymised()
    {
        var open = CaseIn(CasePhase.Monitoring);
        Assert.Equal("case-not-closed", CaseRules.CanReopen(open, Today)?.Code);

        var withoutConsent = CaseIn(CasePhase.Closure, consent: false);
        withoutConsent.Status = CaseStatus.Closed;
        Assert.Equal("consent-missing", CaseRules.CanReopen(withoutConsent, Today)?.Code);

        var anonymised = CaseIn(CasePhase.Closure);
        anonymised.Status = CaseStatus.Closed;
        anonymised.Client.AnonymisedAt = DateTime.UtcNow;
        Assert.Equal("case-anonymised", CaseRules.CanReopen(anonymised, Today)?.Code);
    }

    [Fact]
    public void Stepping_back_works_from_every_phase_after_intake()
    {
        Assert.Equal("first-phase", CaseRules.CanStepBack(CaseIn(CasePhase.Intake))?.Code);
        foreach (var phase in new[] { CasePhase.Assessment, CasePhase.GoalAgreement, CasePhase.ServicePlanning, CasePhase.ServiceSteering, CasePhase.Monitoring })
        {
            Assert.Null(CaseRules.CanStepBack(CaseIn(phase)));
            Assert.Equal(phase, CaseRules.Next(CaseRules.Previous(phase)!.Value));
        }
    }

    [Fact]
    public void Not_indicated_and_the_indication_belong_to_the_intake()
    {
        Assert.Null(CaseRules.CanEndAsNotIndicated(CaseIn(CasePhase.Intake)));
        Assert.Null(CaseRules.CanDecideIndication(CaseIn(CasePhase.Intake)));
        Assert.Equal("intake-over", CaseRules.CanEndAsNotIndicated(CaseIn(CasePhase.Assessment))?.Code);
        Assert.Equal("intake-over", CaseRules.CanDecideIndication(CaseIn(CasePhase.Assessment))?.Code);
    }

    [Theory]
    [InlineData(CasePhase.Intake, CasePhase.Assessment, "wrong-phase")]
    [InlineData(CasePhase.Assessment, CasePhase.Assessment, null)]
    [InlineData(CasePhase.Assessment, CasePhase.ServicePlanning, "wrong-phase")]
    [InlineData(CasePhase.Monitoring, CasePhase.ServiceSteering, null)]
    public void Work_is_possible_from_its_phase_on(CasePhase phase, CasePhase earliest, string? code) =>
        Assert.Equal(code, CaseRules.CanWork(CaseIn(phase), earliest, "x", Today)?.Code);

    [Fact]
    public void A_goal_enters_only_with_the_clients_agreement()
    {
        Assert.Equal("client-agreement-missing", CaseRules.CanAgreeGoal(CaseIn(CasePhase.GoalAgreement), clientAgreed: false, Today)?.Code);
        Assert.Null(CaseRules.CanAgreeGoal(CaseIn(CasePhase.GoalAgreement), clientAgreed: true, Today));
        Assert.Equal("wrong-phase", CaseRules.CanAgreeGoal(CaseIn(CasePhase.Assessment), clientAgreed: true, Today)?.Code);
    }

    [Fact]
    public void A_review_needs_a_coordinator_a_conference_the_consent_for_it()
    {
        var c = CaseIn(CasePhase.Assessment);
        Assert.Null(CaseRules.CanHoldReview(c, CaseReviewKind.Review, coordinatorPresent: true, Today));
        Assert.Equal("coordinator-missing", CaseRules.CanHoldReview(c, CaseReviewKind.Review, coordinatorPresent: false, Today)?.Code);
        Assert.Equal("consent-missing", CaseRules.CanHoldReview(c, CaseReviewKind.Conference, coordinatorPresent: false, Today)?.Code);
        c.Consents.Add(Consent(ConsentPurpose.CaseConference, expires: Today.AddDays(-1)));
        Assert.Equal("consent-missing", CaseRules.CanHoldReview(c, CaseReviewKind.Conference, coordinatorPresent: false, Today)?.Code);
        c.Consents.Add(Consent(ConsentPurpose.CaseConference));
        Assert.Null(CaseRules.CanHoldReview(c, CaseReviewKind.Conference, coordinatorPresent: false, Today));
    }
}
