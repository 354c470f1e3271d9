using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.Contracts.Network;
using Kim.ReportingService.Monitoring;
using Kim.ReportingService.ReadModels;
using Kim.ReportingService.State;

namespace Kim.UnitTests.Reporting;

public sealed class AnalysesTests
{
    private static readonly DateTime Start = new(2026, 1, 1, 8, 0, 0, DateTimeKind.Utc);

    private static CasePhaseChanged Change(string key, CasePhase from, CasePhase to, int day) =>
        new() { TenantId = "caritas", CaseKey = key, From = from, To = to, OccurredAt = Start.AddDays(day) };

    private static CaseOpened Opened(string key, int day) =>
        new() { TenantId = "caritas", CaseKey = key, AgeBand = "27-44", ResidenceCategory = "Unknown", AccessRoute = "Unknown", OccurredAt = Start.AddDays(day) };

    [Fact]
    public void Time_in_phase_counts_completed_stays_with_median_and_p90()
    {
        IntegrationEvent[] history =
        [
            Opened("a", 0), Change("a", CasePhase.Intake, CasePhase.Assessment, 2), Change("a", CasePhase.Assessment, CasePhase.GoalAgreement, 10),
            Opened("b", 0), Change("b", CasePhase.Intake, CasePhase.Assessment, 4),
            Opened("c", 0), Change("c", CasePhase.Intake, CasePhase.Assessment, 10),
            Opened("d", 0), new CaseNotIndicated { TenantId = "caritas", CaseKey = "d", OccurredAt = Start.AddDays(1) },
        ];

        var phases = Analyses.TimeInPhase(CaseFigures.OfHistory(history)).ToDictionary(p => p.Phase);

        Assert.Equal(4, phases[CasePhase.Intake].Stays);
        Assert.Equal(3, phases[CasePhase.Intake].MedianDays);
        Assert.Equal(10, phases[CasePhase.Intake].P90Days);
        Assert.Equal(1, phases[CasePhase.Assessment].Stays);
        Assert.Equal(8, phases[CasePhase.Assessment].MedianDays);
        Assert.Equal(0, phases[CasePhase.Monitoring].Stays);
        Assert.Null(phases[CasePhase.Monitoring].MedianDays);
    }

    [Fact]
    public void Goals_count_agreed_and_the_last_closure_of_each_case()
    {
        IntegrationEvent[] history =
        [
            new GoalAgreed { TenantId = "t", CaseKey = "a", GoalId = Guid.NewGuid(), LifeDomain = LifeDomain.Housing, OccurredAt = Start },
            new GoalAgreed { TenantId = "t", CaseKey = "a", GoalId = Guid.NewGuid(), LifeDomain = LifeDomain.Health, OccurredAt = Start },
            new CaseClosed { TenantId = "t", CaseKey = "a", Reason = "x", GoalsAgreed = 2, GoalsAchieved = 0, GoalsPartlyAchieved = 1, DurationDays = 10, OccurredAt = Start.AddDays(10) },
            new CaseClosed { TenantId = "t", CaseKey = "a", Reason = "x", GoalsAgreed = 2, GoalsAchieved = 2, GoalsPartlyAchieved = 0, DurationDays = 20, OccurredAt = Start.AddDays(20) },
        ];

        Assert.Equal(new GoalFigures(2, 2, 2, 0), Analyses.Goals(CaseFigures.OfHistory(history)));
    }

    [Fact]
    public void Practice_indicators_count_per_month_share_of_referred_cases_and_binding_resolutions()
    {
        IntegrationEvent[] history =
        [
            Opened("a", 0), Opened("b", 0),
            new ReferralIssued { TenantId = "caritas", CaseKey = "a", ReferralId = Guid.NewGuid(), ProviderOrganisationId = Guid.NewGuid(), ProviderOrganisationName = "JC", LegalDomain = LegalDomain.SgbII, LifeDomain = LifeDomain.TrainingWork, TargetDays = 5, OccurredAt = Start },
            new CaseReviewHeld { TenantId = "caritas", CaseKey = "a", Kind = CaseReviewKind.Review, Participants = [OrganisationType.Carrier], OccurredAt = Start.AddDays(3) },
            new CaseReviewHeld { TenantId = "caritas", CaseKey = "b", Kind = CaseReviewKind.Conference, Participants = [OrganisationType.Jobcenter], OccurredAt = Start.AddDays(40) },
            new ResolutionAdopted { ResolutionId = Guid.NewGuid(), RegisterNumber = "LG-2026-01", Title = "a", IsBinding = true, Procedure = ResolutionProcedure.Meeting, Yes = 5, No = 0, Abstentions = 0, OccurredAt = Start },
            new ResolutionAdopted { ResolutionId = Guid.NewGuid(), RegisterNumber = "LG-2026-02", Title = "b", IsBinding = false, Procedure = ResolutionProcedure.Circular, Yes = 5, No = 1, Abstentions = 0, OccurredAt = Start },
        ];

        var indicators = Analyses.Practice(CaseFigures.OfHistory(history), history, [("caritas", Start.AddDays(50)), ("diakonie", Start.AddDays(1))], Start.AddDays(60));

        Assert.Equal(0.5, indicators.ShareOfCasesWithReferrals);
        Assert.Equal(1, indicators.CaseReviewsPerMonth["2026-01"]);
        Assert.Equal(1, indicators.CaseConferencesPerMonth["2026-02"]);
        Assert.Equal(0.5, indicators.ShareOfBindingResolutions);
        Assert.Equal(["caritas"], indicators.TenantsActiveLast30Days);
    }

    [Theory]
    [InlineData(0.2, 0.9, 0.9, ImplementationType.PurelyInstitutionOriented)]
    [InlineData(0.4, 0.6, 0.3, ImplementationType.RatherInstitutionOriented)]
    [InlineData(0.5, 0.3, 0.7, ImplementationType.RatherProcessOriented)]
    [InlineData(0.8, 0.7, 0.9, ImplementationType.ProcessOriented)]
    [InlineData(0.8, 0.5, 0.9, ImplementationType.RatherProcessOriented)]
    public void Type_rules_follow_the_documented_thresholds(double mean, double structure, double process, ImplementationType expected) =>
        Assert.Equal(expected, Typology.TypeOf(mean, structure, process, new TypologyOptions()));

    [Theory]
    [InlineData(1, 3, 33)]
    [InlineData(1, 8, 13)]
    [InlineData(1, 40, 3)]
    [InlineData(1, 200, 1)]
    [InlineData(0, 5, 0)]
    public void Percentages_round_half_away_from_zero(int count, int n, int expected) =>
        Assert.Equal(expected, CrossTables.Percent(count, n));
}
