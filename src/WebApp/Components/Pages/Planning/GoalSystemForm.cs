using Kim.WebApp.Clients.Network.Models;
using Kim.WebApp.Components.Pages.Cases;

namespace Kim.WebApp.Components.Pages.Planning;

/// <summary>One indicator as typed; left wholly empty, the goal has none.</summary>
public sealed class IndicatorForm
{
    public string? Name { get; set; }
    public string? Baseline { get; set; }
    public string? Target { get; set; }
    public string? Unit { get; set; }
    public string? Source { get; set; }

    public bool IsEmpty => new[] { Name, Baseline, Target, Unit, Source }.All(string.IsNullOrWhiteSpace);

    public static List<IndicatorRequest> ToRequests(IndicatorForm? form) => form is null || form.IsEmpty
        ? []
        : [new IndicatorRequest
        {
            Name = form.Name,
            Baseline = PlanningTexts.ParseNumber(form.Baseline),
            Target = PlanningTexts.ParseNumber(form.Target),
            Unit = form.Unit,
            Source = FormValues.Text(form.Source),
        }];
}

/// <summary>A goal system as drafted on the page: one principal, framework and outcome goal, each with an indicator.</summary>
public sealed class GoalSystemForm
{
    public string? PrincipalGoal { get; set; }
    public IndicatorForm? PrincipalIndicator { get; set; }
    public string? FrameworkGoal { get; set; }
    public IndicatorForm? FrameworkIndicator { get; set; }
    public string? OutcomeGoal { get; set; }
    public IndicatorForm? OutcomeIndicator { get; set; }
    public string? Activities { get; set; }
    public string? Sources { get; set; }
    public string? Assumptions { get; set; }

    public DraftGoalSystemRequest ToRequest() => new()
    {
        PrincipalGoal = PrincipalGoal,
        Indicators = IndicatorForm.ToRequests(PrincipalIndicator),
        FrameworkGoals =
        [
            new FrameworkGoalRequest
            {
                Text = FrameworkGoal,
                Indicators = IndicatorForm.ToRequests(FrameworkIndicator),
                OutcomeGoals =
                [
                    new OutcomeGoalRequest
                    {
                        Text = OutcomeGoal,
                        Indicators = IndicatorForm.ToRequests(OutcomeIndicator),
                        Activities = PlanningTexts.Lines(Activities),
                    },
                ],
            },
        ],
        SourcesOfVerification = PlanningTexts.Lines(Sources),
        CriticalAssumptions = PlanningTexts.Lines(Assumptions),
    };
}
