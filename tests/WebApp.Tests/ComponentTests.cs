using Bunit;
using Kim.WebApp.Api;
using Kim.WebApp.Clients.CaseService.Models;
using Kim.WebApp.Components;
using Kim.WebApp.Components.Kern;

namespace Kim.WebApp.Tests;

/// <summary>The shared KERN components and the stepper logic, rendered with bUnit.</summary>
public sealed class ComponentTests : BunitContext
{
    [Fact]
    public void A_field_with_an_error_is_marked_invalid_and_names_its_hint_and_error()
    {
        var field = Render<KInput>(p => p.Add(c => c.Name, "Form.GivenName").Add(c => c.Label, "Vorname").Add(c => c.Hint, "Wie im Ausweis")
            .Add(c => c.Error, "Bitte angeben.").Add(c => c.Value, "A"));

        var input = field.Find("input");
        Assert.Equal("f-form-givenname", input.Id);
        Assert.Equal("f-form-givenname-hint f-form-givenname-error", input.GetAttribute("aria-describedby"));
        Assert.Equal("true", input.GetAttribute("aria-invalid"));
        Assert.Contains("kern-form-input__input--error", input.ClassList);
        Assert.Equal("A", input.GetAttribute("value"));
        Assert.Equal("Bitte angeben.", field.Find("#f-form-givenname-error").TextContent.Trim());
        Assert.Equal("f-form-givenname", field.Find("label").GetAttribute("for"));
    }

    [Fact]
    public void A_field_without_an_error_is_neither_invalid_nor_described_by_an_error()
    {
        var field = Render<KInput>(p => p.Add(c => c.Name, "Form.Phone").Add(c => c.Label, "Telefon").Add(c => c.Optional, true));

        var input = field.Find("input");
        Assert.Null(input.GetAttribute("aria-invalid"));
        Assert.Null(input.GetAttribute("aria-describedby"));
        Assert.False(input.HasAttribute("required"));
        Assert.Contains("optional", field.Find("label").TextContent, StringComparison.Ordinal);
        Assert.Empty(field.FindAll(".kern-error"));
    }

    [Fact]
    public void A_select_marks_the_posted_value_and_offers_an_empty_choice_first()
    {
        var select = Render<KSelect>(p => p.Add(c => c.Name, "Goal.LifeDomain").Add(c => c.Label, "Lebensbereich")
            .Add(c => c.Options, [("Housing", "Wohnen"), ("Health", "Gesundheit")]).Add(c => c.Value, "Health"));

        var options = select.FindAll("option");
        Assert.Equal(["", "Housing", "Health"], options.Select(o => o.GetAttribute("value")));
        Assert.True(options[2].HasAttribute("selected"));
        Assert.False(options[1].HasAttribute("selected"));
    }

    [Fact]
    public void A_typed_text_that_is_no_date_is_named_as_such_not_as_missing()
    {
        var wrong = Render<KDate>(p => p.Add(c => c.Name, "Goal.TargetDate").Add(c => c.Label, "Zieltermin").Add(c => c.Value, "31.02.2026").Add(c => c.Error, "Bitte angeben."));
        var empty = Render<KDate>(p => p.Add(c => c.Name, "Goal.TargetDate").Add(c => c.Label, "Zieltermin").Add(c => c.Error, "Bitte angeben."));

        Assert.Contains("Kein gültiges Datum", wrong.Find(".kern-error").TextContent, StringComparison.Ordinal);
        Assert.Equal("Bitte angeben.", empty.Find(".kern-error").TextContent.Trim());
        Assert.Equal("numeric", wrong.Find("input").GetAttribute("inputmode"));
    }

    [Fact]
    public void A_refusal_is_announced_and_information_is_not()
    {
        var danger = Render<KAlert>(p => p.Add(c => c.Variant, "danger").Add(c => c.Title, "Indikation fehlt"));
        var info = Render<KAlert>(p => p.Add(c => c.Variant, "info").Add(c => c.Title, "Hinweis"));

        Assert.Equal("alert", danger.Find(".kern-alert").GetAttribute("role"));
        Assert.Equal("status", info.Find(".kern-alert").GetAttribute("role"));
        Assert.Contains("kern-icon--danger", danger.Find(".kern-icon").ClassList);
    }

    [Fact]
    public void A_table_has_its_caption_and_column_headers()
    {
        var table = Render<KTable>(p => p.Add(c => c.Caption, "Meine offenen Fälle").Add(c => c.Columns, ["Person", "Phase"]));

        Assert.Equal("Meine offenen Fälle", table.Find("caption").TextContent);
        Assert.All(table.FindAll("th"), th => Assert.Equal("col", th.GetAttribute("scope")));
        Assert.Equal("Meine offenen Fälle", table.Find("[role=region]").GetAttribute("aria-label"));
    }

    [Fact]
    public void The_dialog_is_open_named_by_its_title_and_cancels_to_its_address()
    {
        var dialog = Render<KDialog>(p => p.Add(c => c.Id, "abschluss").Add(c => c.Title, "Fall abschließen").Add(c => c.CancelHref, "/faelle/1#abschluss"));

        var element = dialog.Find("dialog");
        Assert.True(element.HasAttribute("open"));
        Assert.Equal("abschluss-title", element.GetAttribute("aria-labelledby"));
        Assert.Equal("Fall abschließen", dialog.Find("#abschluss-title").TextContent);
        Assert.Equal("/faelle/1#abschluss", dialog.Find("a.kern-btn").GetAttribute("href"));
    }

    [Theory]
    [InlineData(CasePhase.Intake, CaseStatus.Open, 0, 1)]
    [InlineData(CasePhase.ServicePlanning, CaseStatus.Open, 3, 1)]
    [InlineData(CasePhase.Monitoring, CaseStatus.Closed, 6, 0)]
    public void The_stepper_marks_done_current_and_upcoming_phases(CasePhase phase, CaseStatus status, int done, int current)
    {
        var steps = PhaseStepper.Steps(phase, status);

        Assert.Equal(7, steps.Count);
        Assert.Equal(done, steps.Count(s => s.State == StepState.Done));
        Assert.Equal(current, steps.Count(s => s.State == StepState.Current));
        Assert.Equal(["Erstberatung", "Assessment", "Zielvereinbarung", "Hilfeplanung", "Leistungssteuerung", "Monitoring", "Abschluss und Auswertung"], steps.Select(s => s.Name));

        var rendered = Render<KStepper>(p => p.Add(c => c.Steps, steps));
        Assert.Equal(current, rendered.FindAll("[aria-current=step]").Count);
        Assert.Equal(done, rendered.FindAll(".kern-badge--success").Count);
    }

    [Fact]
    public void The_stepper_says_what_is_missing_in_german_from_the_precondition_code()
    {
        Assert.Null(PhaseStepper.Missing(new CaseResponse { NextPhaseMissing = null }));
        Assert.Contains("Lebensbereich", PhaseStepper.Missing(new CaseResponse { NextPhaseMissing = "assessment-missing" }), StringComparison.Ordinal);
        Assert.Contains("Einwilligung", PhaseStepper.Missing(new CaseResponse { NextPhaseMissing = "consent-missing" }), StringComparison.Ordinal);
    }

    [Fact]
    public void A_problem_reads_the_precondition_and_keeps_each_german_field_message()
    {
        var precondition = Problem.From(409, "urn:kim:problem:precondition:agreed-goal-missing", "Kein vereinbartes Ziel", "Die Hilfeplanung braucht ...", null);
        Assert.Equal("Kein vereinbartes Ziel", precondition.Title);
        Assert.Equal("Vereinbaren Sie mindestens ein Ziel mit der Person.", precondition.Guidance);

        var fields = Problem.From(400, null, "Eingaben ungültig", null, new Dictionary<string, object>
        {
            ["client.givenName"] = new List<object> { "Pflichtangabe." },
            ["reason"] = new List<object> { "Höchstens 1000 Zeichen." },
            ["targetDays"] = "Zwischen 0 und 730.",
        });
        Assert.Equal("Pflichtangabe.", fields.Field("client.givenName"));
        Assert.Equal("Höchstens 1000 Zeichen.", fields.Field("Reason"));
        Assert.Equal("Zwischen 0 und 730.", fields.Field("targetDays"));
        Assert.Equal("Bitte prüfen Sie die markierten Eingaben.", fields.Guidance);

        var stale = Problem.From(412, null, null, null, null);
        Assert.Contains("inzwischen geändert", stale.Guidance, StringComparison.Ordinal);
        Assert.Equal("Nicht möglich", stale.Title);
    }
}
