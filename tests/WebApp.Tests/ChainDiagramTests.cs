using Bunit;
using Kim.WebApp.Components.Planning;

namespace Kim.WebApp.Tests;

/// <summary>The service chain drawn as swimlanes: generated from the steps, with the same content as a table.</summary>
public sealed class ChainDiagramTests : BunitContext
{
    private static readonly ChainStep[] Chain =
    [
        new(3, "Aufenthaltstitel prüfen", "Ausländerbehörde", 10),
        new(1, "Erstberatung und Anamnese", "Jobcenter", 5),
        new(2, "Leistungsantrag aufnehmen", "Jobcenter", 3),
        new(4, "Sprachkurs vermitteln", "Caritasverband", 14),
        new(5, "Eingliederungsvereinbarung", "Jobcenter", 0),
    ];

    [Fact]
    public void Each_organisation_gets_one_lane_in_the_order_it_first_acts_and_a_lane_change_is_a_handover()
    {
        var layout = ChainSwimlane.Layout(Chain);

        Assert.Equal(["Jobcenter", "Ausländerbehörde", "Caritasverband"], layout.Lanes);
        Assert.Equal([1, 2, 3, 4, 5], layout.Boxes.Select(b => b.Step.Order));
        Assert.Equal([0, 0, 1, 2, 0], layout.Boxes.Select(b => b.Lane));
        Assert.Equal([0, 1, 2, 3, 4], layout.Boxes.Select(b => b.Column));
        Assert.Equal([false, true, true, true], layout.Arrows.Select(a => a.IsHandover));
        Assert.Equal(3, layout.Handovers);

        // Boxes sit inside their lane and column; an arrow runs from the right edge of one box to the left edge of the next.
        Assert.All(layout.Boxes, b => Assert.InRange(b.Y, b.Lane * ChainSwimlane.LaneHeight, (b.Lane + 1) * ChainSwimlane.LaneHeight - ChainSwimlane.BoxHeight));
        Assert.Equal($"M {layout.Boxes[0].X + ChainSwimlane.BoxWidth} {layout.Boxes[0].Y + ChainSwimlane.BoxHeight / 2} H {layout.Boxes[1].X - 2}", layout.Arrows[0].Path);
        Assert.Contains(" V ", layout.Arrows[1].Path, StringComparison.Ordinal);
        Assert.Equal(ChainSwimlane.LabelWidth + 5 * ChainSwimlane.ColumnWidth + 10, layout.Width);
        Assert.Equal(3 * ChainSwimlane.LaneHeight, layout.Height);
    }

    [Fact]
    public void Long_activities_wrap_at_spaces_into_at_most_three_lines()
    {
        Assert.Equal(["Erstberatung und", "Anamnese"], ChainSwimlane.Wrap("Erstberatung und Anamnese"));
        var wrapped = ChainSwimlane.Wrap("Antrag auf Leistungen zur Sicherung des Lebensunterhalts nach dem SGB II vollständig aufnehmen und prüfen");
        Assert.Equal(3, wrapped.Count);
        Assert.All(wrapped, line => Assert.True(line.Length <= ChainSwimlane.MaxLineLength, line));
        Assert.EndsWith("…", wrapped[^1], StringComparison.Ordinal);
        Assert.Equal(["Eingliederungsvereinbar…"], ChainSwimlane.Wrap("Eingliederungsvereinbarungsunterzeichnung"));
    }

    [Fact]
    public void The_picture_is_one_named_image_and_the_table_tells_the_same_steps_and_handovers()
    {
        var diagram = Render<ChainDiagram>(p => p.Add(c => c.Id, "kette").Add(c => c.Title, "Ankommen in Arbeit, Version 2").Add(c => c.Steps, Chain));

        var svg = diagram.Find("svg");
        Assert.Equal("img", svg.GetAttribute("role"));
        Assert.Equal("kette-title kette-desc", svg.GetAttribute("aria-labelledby"));
        Assert.Equal("Ankommen in Arbeit, Version 2", diagram.Find("#kette-title").TextContent);
        Assert.Equal("5 Schritte bei 3 Organisationen, 3 Übergaben zwischen Organisationen.", diagram.Find("#kette-desc").TextContent);
        Assert.Equal(3, diagram.FindAll("path.kim-chain__handover").Count);
        Assert.Single(diagram.FindAll("path.kim-chain__flow"));
        Assert.Equal(3, diagram.FindAll("g.kim-chain__lane").Count);
        Assert.Empty(diagram.FindAll(".kim-chain__step--bottleneck"));

        var rows = diagram.FindAll("tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList()).ToList();
        Assert.Equal(5, rows.Count);
        Assert.Equal(["1", "Erstberatung und Anamnese", "Jobcenter", "keine", "5 Tage"], rows[0]);
        Assert.Equal(["2", "Leistungsantrag aufnehmen", "Jobcenter", "Ausländerbehörde", "3 Tage"], rows[1]);
        Assert.Equal(["5", "Eingliederungsvereinbarung", "Jobcenter", "keine", "0 Tage"], rows[4]);
        Assert.DoesNotContain("Gemessen (Median)", diagram.Find("thead").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void In_monitoring_each_step_shows_its_measured_time_against_the_target_and_the_bottleneck_is_marked_in_words()
    {
        var measured = Chain.Select(s => s.Order switch
        {
            1 => s with { MeasuredDays = 5.9 },
            3 => s with { MeasuredDays = 21.5, IsBottleneck = true },
            4 => s with { MeasuredDays = 15 },
            _ => s,
        }).ToList();

        var diagram = Render<ChainDiagram>(p => p.Add(c => c.Id, "monitor").Add(c => c.Title, "Ankommen in Arbeit").Add(c => c.Steps, measured));

        var bottleneck = diagram.Find("g.kim-chain__step--bottleneck");
        Assert.Equal("3", bottleneck.GetAttribute("data-order"));
        Assert.Contains("Engpass", bottleneck.TextContent, StringComparison.Ordinal);
        Assert.Contains("Ziel 10 Tage · 21,5 Tage", bottleneck.TextContent, StringComparison.Ordinal);
        Assert.Single(diagram.FindAll(".kim-chain__step--bottleneck"));
        Assert.EndsWith("Engpass: Schritt 3 (Aufenthaltstitel prüfen, Ausländerbehörde).", diagram.Find("#monitor-desc").TextContent, StringComparison.Ordinal);

        var cells = diagram.FindAll("tbody tr").Select(r => r.QuerySelectorAll("td")[^1].TextContent.Trim()).ToList();
        // Target days are whole days: 5,9 days keep a target of 5, 15,0 days miss a target of 14.
        Assert.Equal(["5,9 Tage", "keine Messung", "21,5 Tage (über dem Ziel), Engpass", "15,0 Tage (über dem Ziel)", "keine Messung"], cells);
        Assert.Contains("Gemessen (Median)", diagram.Find("thead").TextContent, StringComparison.Ordinal);
    }
}
