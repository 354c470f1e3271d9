using Kim.WebApp.Clients.CaseService.Models;

namespace Kim.WebApp.Components;

public enum StepState
{
    Done,
    Current,
    Upcoming,
}

public sealed record PhaseStep(int Number, CasePhase Phase, string Name, StepState State);

/// <summary>The phases of case management in order (practice guide, chapter 5), and where a case stands in them.</summary>
public static class PhaseStepper
{
    public static readonly IReadOnlyList<CasePhase> Order =
    [
        CasePhase.Intake, CasePhase.Assessment, CasePhase.GoalAgreement, CasePhase.ServicePlanning,
        CasePhase.ServiceSteering, CasePhase.Monitoring, CasePhase.Closure,
    ];

    public static IReadOnlyList<PhaseStep> Steps(CasePhase current, CaseStatus status)
    {
        var at = Order.ToList().IndexOf(current);
        return Order.Select((phase, index) => new PhaseStep(index + 1, phase, Texts.Of(phase), State(index, at, status))).ToList();
    }

    /// <summary>What must happen before the case can move on, in plain German (null: nothing is missing).</summary>
    public static string? Missing(CaseResponse @case) =>
        @case.NextPhaseMissing is { } code ? Api.Preconditions.Guidance(code) : null;

    private static StepState State(int index, int at, CaseStatus status)
    {
        if (status == CaseStatus.Closed && index <= at)
        {
            return StepState.Done;
        }

        return index < at ? StepState.Done : index == at ? StepState.Current : StepState.Upcoming;
    }
}
