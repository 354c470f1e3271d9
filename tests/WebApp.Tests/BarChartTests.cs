using Bunit;
using Kim.WebApp.Components.Charts;
using Kim.WebApp.Components.Pages.Submission;

namespace Kim.WebApp.Tests;

/// <summary>The bar chart of monitoring and reports, rendered with bUnit: one named image, and the same numbers as a table.</summary>
public sealed class BarChartTests : BunitContext
{
    private static readonly Bar[] Handovers =
    [
        new("Kette A, Schritt 1", 9) { Target = 5, Highlight = true, Details = ["Jobcenter"] },
        new("Kette A, Schritt 2", 2.5) { Target = 10, Details = ["VHS"] },
        new("Kette B, Schritt 1", null) { Target = 3, Details = ["Caritas"] },
    ];

    private IRenderedComponent<BarChart> Chart(IReadOnlyList<Bar> bars) => Render<BarChart>(p => p
        .Add(c => c.Id, "uebergaben").Add(c => c.Title, "Übergabezeit je Kettenschritt").Add(c => c.Bars, bars).Add(c => c.Unit, "Tage")
        .Add(c => c.LabelHeader, "Kettenschritt").Add(c => c.Highlighted, "Engpass").Add(c => c.DetailHeaders, ["Leistungserbringer"]));

    [Fact]
    public void The_picture_is_one_image_named_by_its_title_and_described_in_words()
    {
        var chart = Chart(Handovers);

        var svg = chart.Find("svg");
        Assert.Equal("img", svg.GetAttribute("role"));
        Assert.Equal("uebergaben-title uebergaben-desc", svg.GetAttribute("aria-labelledby"));
        Assert.Equal("Übergabezeit je Kettenschritt", chart.Find("#uebergaben-title").TextContent);
        Assert.Equal(
            "3 Balken, höchster Wert 9 Tage bei Kette A, Schritt 1. 1 über dem Ziel. Engpass: Kette A, Schritt 1.",
            chart.Find("#uebergaben-desc").TextContent);
        Assert.Equal("uebergaben-caption", chart.Find("figure").GetAttribute("aria-labelledby"));
    }

    [Fact]
    public void The_table_carries_the_numbers_of_the_picture()
    {
        var chart = Chart(Handovers);

        Assert.Equal(["Kettenschritt", "Wert (Tage)", "Ziel (Tage)", "Leistungserbringer", "Hinweis"], chart.FindAll("th").Select(h => h.TextContent));
        var rows = chart.FindAll("tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent).ToArray()).ToList();
        Assert.Equal(["Kette A, Schritt 1", "9", "5 (überschritten)", "Jobcenter", "Engpass"], rows[0]);
        Assert.Equal(["Kette A, Schritt 2", "2,5", "10", "VHS", ""], rows[1]);
        Assert.Equal(["Kette B, Schritt 1", "–", "3", "Caritas", ""], rows[2]);

        var pictured = chart.FindAll("svg text").Select(t => t.TextContent).ToList();
        Assert.Contains("9 Tage (Ziel 5 überschritten) – Engpass", pictured);
        Assert.Contains("2,5 Tage (Ziel 10)", pictured);
        Assert.Contains("keine Messung (Ziel 3)", pictured);
        Assert.Equal("Übergabezeit je Kettenschritt: Werte als Tabelle", chart.Find("caption").TextContent);
    }

    [Fact]
    public void The_highlighted_bar_is_framed_and_over_target_is_said_in_words_not_only_in_colour()
    {
        var chart = Chart(Handovers);

        var rows = chart.FindAll("g.kim-chart__row");
        Assert.Equal(3, rows.Count);
        Assert.Contains("kim-chart__row--highlight", rows[0].ClassList);
        Assert.Equal("4", rows[0].QuerySelector("rect")!.GetAttribute("stroke-width"));
        Assert.Equal("0", rows[1].QuerySelector("rect")!.GetAttribute("stroke-width"));
        // Over target is a word in the picture, not only the darker fill; a bar within its target has no such word.
        Assert.Contains("überschritten", rows[0].QuerySelectorAll("text")[1].TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("überschritten", rows[1].TextContent, StringComparison.Ordinal);
        // Nothing measured: no bar, but the target tick and the words.
        Assert.Null(rows[2].QuerySelector("rect"));
        Assert.NotNull(rows[2].QuerySelector("line"));
    }

    [Fact]
    public void The_scale_ends_at_the_largest_value_or_target_unless_fixed()
    {
        var layout = BarChartLayout.Of(Handovers);
        Assert.Equal(10, layout.Maximum);
        Assert.Equal(0.9 * BarChartLayout.PlotWidth, layout.Rows[0].BarWidth, 1);
        Assert.Equal(BarChartLayout.LabelWidth + (0.5 * BarChartLayout.PlotWidth), layout.Rows[0].TargetX!.Value, 1);
        Assert.Null(layout.Rows[2].Bar.Value);
        Assert.Equal(0, layout.Rows[2].BarWidth);

        var scores = BarChartLayout.Of([new Bar("Reflexion", 0.25), new Bar("Netzwerkansatz", 1.4)], maximum: 1);
        Assert.Equal(0.25 * BarChartLayout.PlotWidth, scores.Rows[0].BarWidth, 1);
        Assert.Equal(BarChartLayout.PlotWidth, scores.Rows[1].BarWidth, 1);
        Assert.Equal(BarChartLayout.Top + BarChartLayout.RowHeight, scores.Rows[1].Y);
    }

    [Fact]
    public void A_bar_without_a_value_that_names_why_is_no_bar_and_says_so_in_the_picture_and_the_table()
    {
        // A suppressed cell of the state's tables: no bar of 0 %, the word instead, in the picture and in the table.
        var chart = Render<BarChart>(p => p.Add(c => c.Id, "anteile").Add(c => c.Title, "Anteile").Add(c => c.Unit, "%").Add(c => c.Maximum, 100).Add(c => c.Format, "0")
            .Add(c => c.Bars, [new Bar("ja", 60), new Bar("nein", null) { Missing = "unterdrückt" }, new Bar("in Planung", 0)]));

        var rows = chart.FindAll("g.kim-chart__row");
        Assert.NotNull(rows[0].QuerySelector("rect"));
        Assert.Null(rows[1].QuerySelector("rect"));
        Assert.Equal("unterdrückt", rows[1].QuerySelectorAll("text")[1].TextContent);
        Assert.Equal("0 %", rows[2].QuerySelectorAll("text")[1].TextContent);
        var table = chart.FindAll("tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent).ToArray()).ToList();
        Assert.Equal(["nein", "unterdrückt"], table[1]);
        Assert.Equal(["in Planung", "0"], table[2]);
    }

    [Fact]
    public void Without_bars_there_is_a_sentence_and_no_empty_picture()
    {
        var chart = Render<BarChart>(p => p.Add(c => c.Id, "leer").Add(c => c.Title, "Verweildauer").Add(c => c.Bars, []).Add(c => c.Empty, "Noch keine Fälle."));

        Assert.Empty(chart.FindAll("svg"));
        Assert.Empty(chart.FindAll("table"));
        Assert.Equal("Noch keine Fälle.", chart.Find("figure p").TextContent);
    }

    [Theory]
    [InlineData("process dimensions 0.42 < 0.50", "Mittelwert der prozessbezogenen Dimensionen: 0,42, nötig sind 0,50")]
    [InlineData("Reflexion: reflection.publicDiscussion answer it (best: true)", "Reflexion: „Öffentliche Diskussion“ beantworten (am stärksten: ja)")]
    [InlineData("Fallbasierung: caseManagement.caseReconstructionFrequency Planned -> WeeklyOrMore",
        "Fallbasierung: „Gemeinsame Fallrekonstruktionen aller Case Manager:innen“ von in Planung auf ja, mind. wöchentlich")]
    public void What_the_next_type_needs_is_said_in_German(string entry, string german) => Assert.Equal(german, Survey.Missing(entry));

    [Fact]
    public void A_bar_with_whole_target_days_misses_its_target_only_from_the_next_whole_day()
    {
        Bar Handover(double days) => new("Schritt", days) { Target = 5, LateFrom = 6 };

        Assert.False(Handover(5.9).OverTarget);
        Assert.True(Handover(6).OverTarget);
        Assert.True(new Bar("ohne Spielraum", 5.1) { Target = 5 }.OverTarget);
    }
}
