using System.Text.Json.Nodes;
using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.Contracts.Network;
using Kim.ReportingService.ReadModels;
using Kim.ReportingService.Submission;

namespace Kim.UnitTests.Reporting;

/// <summary>The live answers of a municipal submission are computed for their year only.</summary>
public sealed class SubmissionLiveAnswersTests
{
    private static readonly DateTime Now = new(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc);

    private static DateTime On(int year, int month, int day) => new(year, month, day, 9, 0, 0, DateTimeKind.Utc);

    private static IEnumerable<IntegrationEvent> CaseTakenOn(string key, DateTime at) =>
    [
        new CaseOpened { TenantId = "kommune", CaseKey = key, AgeBand = "27-44", ResidenceCategory = "Unknown", AccessRoute = "Unknown", OccurredAt = at },
        new CasePhaseChanged { TenantId = "kommune", CaseKey = key, From = CasePhase.Intake, To = CasePhase.Assessment, OccurredAt = at.AddDays(1) },
    ];

    private static CaseReconstructionSubmitted Reconstruction(DateTime at) =>
        new() { TenantId = "kommune", ReconstructionId = Guid.NewGuid(), Barriers = [], OccurredAt = at };

    /// <summary>A year of committee work in 2026: everything a submission can take from the network.</summary>
    private static IntegrationEvent[] CommitteesIn2026() =>
    [
        new RulesOfProcedureAdopted { Version = 1, ResolutionNumber = "LG-2026-01", CircularResolutionsAllowed = true, OccurredAt = On(2026, 2, 1) },
        new MeetingHeld { MeetingId = Guid.NewGuid(), HeldOn = new DateOnly(2026, 2, 1), VotingMembers = 8, VotingMembersPresent = 6, Quorate = true, RepresentedTypes = [], OccurredAt = On(2026, 2, 1) },
        new ResolutionAdopted
        {
            ResolutionId = Guid.NewGuid(), RegisterNumber = "LG-2026-02", Title = "PAG Wohnen", IsBinding = true, Procedure = ResolutionProcedure.Meeting, Yes = 6, No = 0,
            Abstentions = 0, OccurredAt = On(2026, 2, 1),
        },
        new WorkingGroupMandated { WorkingGroupId = Guid.NewGuid(), Name = "PAG Wohnen", ResolutionNumber = "LG-2026-02", OccurredAt = On(2026, 2, 1) },
        new GoalSystemAdopted { GoalSystemId = Guid.NewGuid(), Version = 1, Indicators = 3, ResolutionNumber = "LG-2026-03", OccurredAt = On(2026, 5, 1) },
        new ServiceChainAdopted { ChainId = Guid.NewGuid(), Version = 1, Title = "Wohnen", LifeDomain = LifeDomain.Housing, Steps = [], ResolutionNumber = "LG-2026-04", OccurredAt = On(2026, 6, 1) },
        new ForwardingContractSigned { ContractId = Guid.NewGuid(), PartnerTenantId = "caritas", PartnerKind = ForwardingPartnerKind.Carrier, Fte = 1.5m, OccurredAt = On(2026, 3, 1) },
    ];

    private static Dictionary<string, JsonNode?> Live(IEnumerable<IntegrationEvent> history, string period)
    {
        var events = history.ToList();
        var network = events.Where(e => e is not CaseIntegrationEvent and not CaseReconstructionSubmitted).ToList();
        return SubmissionBuilder.LiveAnswers(CaseFigures.OfHistory(events), network, period, Now);
    }

    [Fact]
    public void A_year_before_any_activity_has_no_live_answer()
    {
        IntegrationEvent[] history = [.. CaseTakenOn("a", On(2026, 3, 1)), .. CaseTakenOn("b", On(2026, 4, 1)), .. CommitteesIn2026()];

        var year2025 = Live(history, "2025");
        var year2026 = Live(history, "2026");

        Assert.Empty(year2025);
        Assert.Equal(2, year2026["caseManagement.casesTaken"]!.GetValue<int>());
        Assert.Equal("Yes", year2026["projectOrganisation.rulesOfProcedure"]!.GetValue<string>());
        Assert.Equal(1, year2026["caseBasis.workingGroupsWithWrittenMandate"]!.GetValue<int>());
        Assert.Equal("Yes", year2026["systemLevel.goalSystem"]!.GetValue<string>());
        Assert.Equal("Yes", year2026["systemLevel.serviceChains"]!.GetValue<string>());
        Assert.Equal("Yes", year2026["caseManagement.forwardedToCarriers"]!.GetValue<string>());
        Assert.True(year2026["projectOrganisation.resolutionsBinding"]!.GetValue<bool>());
    }

    [Fact]
    public void Counts_are_those_of_the_year_and_states_those_at_its_end()
    {
        // Cases since 2025; the committees' work starts in 2026.
        IntegrationEvent[] history = [.. CaseTakenOn("a", On(2025, 6, 1)), .. CaseTakenOn("b", On(2026, 1, 10)), .. CaseTakenOn("c", On(2026, 2, 10)), .. CommitteesIn2026()];

        var year2025 = Live(history, "2025");

        Assert.Equal(1, year2025["caseManagement.casesTaken"]!.GetValue<int>());
        Assert.False(year2025["caseManagement.commonInstruments.serviceSteering"]!.GetValue<bool>());
        Assert.False(year2025.ContainsKey("projectOrganisation.rulesOfProcedure"));
        Assert.False(year2025.ContainsKey("systemLevel.goalSystem"));
        Assert.False(year2025.ContainsKey("projectOrganisation.steeringGroupMeetings"));
        Assert.Equal(2, Live(history, "2026")["caseManagement.casesTaken"]!.GetValue<int>());
    }

    [Fact]
    public void Reconstruction_frequency_is_the_average_over_the_whole_year_not_over_the_months_that_had_any()
    {
        // Cases all year; three reconstructions on one day.
        var day = On(2025, 9, 3);
        IntegrationEvent[] rare = [.. CaseTakenOn("a", On(2025, 1, 2)), Reconstruction(day), Reconstruction(day.AddHours(1)), Reconstruction(day.AddHours(2))];
        IntegrationEvent[] monthly = [.. CaseTakenOn("a", On(2025, 1, 2)), .. Enumerable.Range(1, 12).Select(m => Reconstruction(On(2025, m, 15)))];

        Assert.Equal("LessThanMonthly", Live(rare, "2025")["caseManagement.caseReconstructionFrequency"]!.GetValue<string>());
        Assert.Equal("Monthly", Live(monthly, "2025")["caseManagement.caseReconstructionFrequency"]!.GetValue<string>());
    }

    [Fact]
    public void A_year_still_running_averages_over_its_months_so_far()
    {
        // Cases since October 2026 (now is November 2026): four reconstructions in two months are two a month.
        IntegrationEvent[] history = [.. CaseTakenOn("a", On(2026, 10, 1)), .. Enumerable.Range(0, 4).Select(i => Reconstruction(On(2026, 10, 5 + i)))];

        Assert.Equal("SeveralPerMonth", Live(history, "2026")["caseManagement.caseReconstructionFrequency"]!.GetValue<string>());
    }

    [Fact]
    public void A_manual_answer_fills_what_live_data_cannot_answer_and_is_marked_manual()
    {
        // Cases, but no case review in the year: live data has no review frequency.
        var live = Live(CaseTakenOn("a", On(2026, 3, 1)), "2026");
        Assert.Null(live["caseManagement.caseReviewFrequency"]);
        var manual = new JsonObject { ["caseManagement.caseReviewFrequency"] = "Monthly", ["caseManagement.casesTaken"] = 99 };

        var document = SubmissionBuilder.Build(new MunicipalityOptions(), "2026", live, manual);

        Assert.Equal("Monthly", document["caseManagement"]!["caseReviewFrequency"]!.GetValue<string>());
        Assert.Equal(SubmissionBuilder.ManualAnswer, document["origins"]!["caseManagement.caseReviewFrequency"]!.GetValue<string>());
        // Live data that answers is never overridden.
        Assert.Equal(1, document["caseManagement"]!["casesTaken"]!.GetValue<int>());
        Assert.Equal(SubmissionBuilder.LiveData, document["origins"]!["caseManagement.casesTaken"]!.GetValue<string>());
    }
}
