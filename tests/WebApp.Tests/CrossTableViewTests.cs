using Bunit;
using Kim.WebApp.Clients.State.Models;
using Kim.WebApp.Components.Pages.State;

namespace Kim.WebApp.Tests;

/// <summary>
/// The state's cross table and its bars, rendered with bUnit: a suppressed cell (small, or its complement) is "unterdrückt"
/// in the table and in the bars, never 0 % and never "&lt; 5"; so is the mean of a rating's column with a suppressed cell.
/// </summary>
public sealed class CrossTableViewTests : BunitContext
{
    private static Cell Shown(int count, int? percent) => new() { Count = count, Percent = percent, Suppressed = false };

    private static Cell Hidden() => new() { Count = null, Percent = null, Suppressed = true };

    private static LabelledColumn Column(string key, string label, int n, double? mean = null) => new() { Key = key, Label = label, N = n, Mean = mean };

    private static LabelledRow Row(string value, string label, params Cell[] cells) => new() { Value = value, Label = label, Cells = [.. cells] };

    /// <summary>Six districts forwarded, the one independent city did not: its 1 and, as complements, the totals of both rows are hidden.</summary>
    private static readonly LabelledTable Forwarding = new()
    {
        Row = "caseManagement.forwardedToCarriers",
        Column = "kind",
        SmallCellThreshold = 5,
        Columns = [Column("District", "Landkreis", 6), Column("IndependentCity", "kreisfreie Stadt", 1), Column("total", "Gesamt", 7)],
        Rows =
        [
            Row("Yes", "ja", Shown(6, 100), Hidden(), Hidden()),
            Row("No", "nein", Shown(0, 0), Hidden(), Hidden()),
            Row("Planned", "in Planung", Shown(0, 0), Shown(0, 0), Shown(0, 0)),
            Row("noAnswer", "keine Angabe", Shown(0, null), Shown(0, null), Shown(0, null)),
        ],
    };

    private static string[] Texts(AngleSharp.Dom.IElement row) => [.. row.QuerySelectorAll("th, td").Select(c => c.TextContent)];

    [Fact]
    public void A_suppressed_cell_is_unterdrueckt_and_not_a_small_count()
    {
        var view = Render<CrossTableView>(p => p.Add(c => c.Table, Forwarding).Add(c => c.Caption, "Weiterleitung"));

        var rows = view.FindAll("tbody tr");
        Assert.Equal(["ja", "6", "100 %", "unterdrückt", "unterdrückt", "unterdrückt", "unterdrückt"], Texts(rows[0]));
        Assert.Equal(["nein", "0", "0 %", "unterdrückt", "unterdrückt", "unterdrückt", "unterdrückt"], Texts(rows[1]));
        Assert.DoesNotContain("<", view.Find("tbody").TextContent, StringComparison.Ordinal);
        // Not a rating: no row of means.
        Assert.DoesNotContain(rows, r => r.TextContent.Contains("Mittelwert", StringComparison.Ordinal));
    }

    [Fact]
    public void A_subgroup_too_small_to_show_says_so()
    {
        var empty = new LabelledTable { Row = "caseManagement.caseReviewFrequency", Where = "caseManagement.forwardedToCarriers:No", SmallCellThreshold = 5, Columns = [], Rows = [Row("No", "nein")] };

        var view = Render<CrossTableView>(p => p.Add(c => c.Table, empty).Add(c => c.Caption, "Fallbesprechungen"));

        Assert.Contains("Die Teilgruppe ist so klein", view.Find("p").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_bars_of_the_total_column_name_a_suppressed_cell_instead_of_drawing_0_percent()
    {
        var bars = StateTexts.TotalBars(Forwarding);

        Assert.Equal(["ja", "nein", "in Planung"], bars.Select(b => b.Label));
        Assert.Equal([null, null, 0], bars.Select(b => b.Value));
        Assert.Equal(["unterdrückt", "unterdrückt", null], bars.Select(b => b.Missing));
    }

    [Fact]
    public void The_mean_of_a_column_with_a_suppressed_cell_is_unterdrueckt()
    {
        var rating = new LabelledTable
        {
            Row = "selfAssessment.municipal",
            Column = "kind",
            SmallCellThreshold = 5,
            Columns = [Column("District", "Landkreis", 10, 2.5), Column("IndependentCity", "kreisfreie Stadt", 7), Column("total", "Gesamt", 17)],
            Rows =
            [
                Row("1", "1", Shown(5, 50), Hidden(), Hidden()),
                Row("2", "2", Shown(0, 0), Hidden(), Hidden()),
                Row("4", "4", Shown(5, 50), Shown(5, 71), Shown(10, 59)),
            ],
        };

        var view = Render<CrossTableView>(p => p.Add(c => c.Table, rating).Add(c => c.Caption, "Bewertung"));

        var mean = view.FindAll("tbody tr").Single(r => r.TextContent.StartsWith("Mittelwert", StringComparison.Ordinal));
        Assert.Equal(["Mittelwert", "2,50", "", "unterdrückt", "", "unterdrückt", ""], Texts(mean));
    }
}
