using Kim.WebApp.Components.Pages.Planning;
using Kim.WebApp.Components.Planning;

namespace Kim.WebApp.Tests;

/// <summary>The pure logic behind the planning pages: comparing chain versions, reading the editor's and goal forms.</summary>
public sealed class PlanningLogicTests
{
    private static ComparedStep Step(int order, string activity, string organisation = "Jobcenter", int days = 10, string guarantees = "Termin") =>
        new(order, activity, organisation, "SGB II", "Antrag liegt vor", guarantees, "", days);

    [Fact]
    public void Identical_versions_have_only_unchanged_steps()
    {
        var steps = new[] { Step(1, "Erstberatung"), Step(2, "Sprachkurs vermitteln") };

        var differences = ChainComparison.Compare(steps, steps);

        Assert.All(differences, d => Assert.Equal(StepChange.Unchanged, d.Change));
        Assert.Equal("kein Schritt geändert, kein Schritt neu, kein Schritt entfallen, 2 Schritte unverändert", ChainComparison.Summary(differences));
    }

    [Fact]
    public void A_changed_target_time_and_organisation_are_named_in_words()
    {
        var differences = ChainComparison.Compare(
            [Step(1, "Erstberatung"), Step(2, "Förderung prüfen", "Jobcenter", 30)],
            [Step(1, "Erstberatung"), Step(2, "Förderung prüfen", "Agentur für Arbeit", 21)]);

        var changed = Assert.Single(differences, d => d.Change == StepChange.Changed);
        Assert.Equal(2, changed.Old!.Order);
        Assert.Equal(["Verantwortlich: „Agentur für Arbeit“ statt „Jobcenter“", "Zielzeit: 21 Tage statt 30 Tage"], changed.Changes);
    }

    [Fact]
    public void An_inserted_step_is_added_without_marking_the_later_steps_as_changed()
    {
        var differences = ChainComparison.Compare(
            [Step(1, "Erstberatung"), Step(2, "Sprachkurs vermitteln"), Step(3, "Arbeit aufnehmen")],
            [Step(1, "Erstberatung"), Step(2, "Anerkennung beantragen"), Step(3, "Sprachkurs vermitteln"), Step(4, "Arbeit aufnehmen")]);

        Assert.Equal([StepChange.Unchanged, StepChange.Added, StepChange.Unchanged, StepChange.Unchanged], differences.Select(d => d.Change));
        Assert.Equal("Anerkennung beantragen", differences[1].New!.Activity);
        Assert.Equal((2, 3), (differences[2].Old!.Order, differences[2].New!.Order));
    }

    [Fact]
    public void A_dropped_step_is_removed_and_a_renamed_step_in_its_place_is_changed()
    {
        var differences = ChainComparison.Compare(
            [Step(1, "Erstberatung"), Step(2, "Kita-Platz suchen"), Step(3, "Sprachkurs"), Step(4, "Abschluss")],
            [Step(1, "Erstberatung"), Step(2, "Sprachkurs mit Kinderbetreuung"), Step(3, "Abschluss")]);

        Assert.Equal([StepChange.Unchanged, StepChange.Changed, StepChange.Removed, StepChange.Unchanged], differences.Select(d => d.Change));
        Assert.Equal("Tätigkeit: „Sprachkurs mit Kinderbetreuung“ statt „Kita-Platz suchen“", differences[1].Changes.Single());
        Assert.Equal("Sprachkurs", differences[2].Old!.Activity);
        Assert.Null(differences[2].New);
        Assert.Equal("kein Schritt entfallen", ChainComparison.Summary([]).Split(", ")[2]);
    }

    [Fact]
    public void The_editor_sends_the_kept_steps_in_their_order_and_reads_numbers_and_choices()
    {
        var organisation = Guid.NewGuid();
        var form = new ChainForm
        {
            Title = "Kette",
            LifeDomain = "Language",
            Steps =
            [
                new() { Activity = "Erstberatung", OrganisationId = organisation.ToString(), LegalDomain = "SgbII", Preconditions = "-", Guarantees = "Termin", TargetDays = " 5 " },
                new() { Activity = "Weggelassen", Omit = "true" },
                new() { Activity = "Kurs", OrganisationId = "keine", LegalDomain = "Erfunden", TargetDays = "viele" },
            ],
        };

        var request = form.ToRequest();

        Assert.Null(request.ChainId);
        Assert.Equal(Clients.Network.Models.LifeDomain.Language, request.LifeDomain);
        Assert.Equal(["Erstberatung", "Kurs"], request.Steps!.Select(s => s.Activity));
        Assert.Equal(organisation, request.Steps![0].ResponsibleOrganisationId);
        Assert.Equal(5, request.Steps[0].TargetDays);
        Assert.Null(request.Steps[0].Standards);
        // What cannot be read is left for the API to refuse at the field.
        Assert.Null(request.Steps[1].ResponsibleOrganisationId);
        Assert.Null(request.Steps[1].LegalDomain);
        Assert.Null(request.Steps[1].TargetDays);
    }

    [Fact]
    public void An_empty_indicator_is_none_and_a_german_decimal_is_read()
    {
        var request = new GoalSystemForm
        {
            PrincipalGoal = "Teilhabe",
            PrincipalIndicator = new IndicatorForm(),
            FrameworkGoal = "Kurse",
            OutcomeGoal = "Vier Kurse",
            OutcomeIndicator = new IndicatorForm { Name = "Plätze", Baseline = "12,5", Target = "60", Unit = "Plätze" },
            Activities = "Räume gewinnen\n\n  Kräfte schulen  ",
        }.ToRequest();

        Assert.Empty(request.Indicators!);
        var indicator = Assert.Single(request.FrameworkGoals![0].OutcomeGoals![0].Indicators!);
        Assert.Equal((12.5, 60.0), (indicator.Baseline, indicator.Target));
        Assert.Equal(["Räume gewinnen", "Kräfte schulen"], request.FrameworkGoals[0].OutcomeGoals![0].Activities);
        Assert.Null(PlanningTexts.ParseNumber("zwölf"));
        Assert.Equal(1.5, PlanningTexts.ParseNumber("1.5"));
    }
}

/// <summary>A conflict of the NetworkService reads as what to do next, in German.</summary>
public sealed class NetworkProblemTests
{
    [Fact]
    public async Task A_working_group_without_mandate_asks_to_lay_the_mandate_before_the_steering_group_and_other_conflicts_give_their_detail()
    {
        var unmandated = await Api.Problem.Of(() => throw new Clients.Network.Models.HttpValidationProblemDetails
        {
            ResponseStatusCode = 409,
            Title = "Arbeitsgruppe ohne Mandat",
            Detail = "Die Lenkungsgruppe hat der Arbeitsgruppe noch kein Mandat erteilt.",
        });
        var signed = await Api.Problem.Of(() => throw new Clients.Network.Models.HttpValidationProblemDetails
        {
            ResponseStatusCode = 409,
            Title = "Vereinbarung bereits unterzeichnet",
            Detail = "Die Vereinbarung wurde am 01.12.2026 unterzeichnet.",
        });

        Assert.Equal("Arbeitsgruppe ohne Mandat", unmandated!.Title);
        Assert.Contains("zur Beschlussfassung vor", unmandated.Guidance, StringComparison.Ordinal);
        Assert.Equal("Die Vereinbarung wurde am 01.12.2026 unterzeichnet.", signed!.Guidance);
    }
}
