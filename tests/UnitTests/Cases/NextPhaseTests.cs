using Kim.CaseService.Cases;
using Kim.Contracts;

namespace Kim.UnitTests.Cases;

/// <summary>What a case read names as missing before its next phase; from monitoring the next phase is the closure.</summary>
public sealed class NextPhaseTests
{
    private static readonly DateTime Now = new(2026, 11, 23, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void In_monitoring_the_case_names_the_goal_evaluation_that_closure_still_needs()
    {
        var monitoring = CaseRulesTests.CaseIn(CasePhase.Monitoring);

        Assert.Equal("goal-evaluation-missing", CaseRules.CanAdvance(monitoring, CasePhase.Closure, DateOnly.FromDateTime(Now))?.Code);
        var read = CaseResponse.From("caritas", monitoring, null, Now);
        Assert.Equal(CasePhase.Closure, read.NextPhase);
        Assert.Equal("goal-evaluation-missing", read.NextPhaseMissing);
    }

    [Fact]
    public void A_reopened_case_in_monitoring_whose_goals_were_evaluated_may_close_again()
    {
        var reopened = CaseRulesTests.CaseIn(CasePhase.Monitoring);
        reopened.Goals[0].Evaluation = GoalEvaluation.Achieved;

        Assert.Null(CaseRules.CanAdvance(reopened, CasePhase.Closure, DateOnly.FromDateTime(Now)));
        Assert.Null(CaseResponse.From("caritas", reopened, null, Now).NextPhaseMissing);
    }
}
