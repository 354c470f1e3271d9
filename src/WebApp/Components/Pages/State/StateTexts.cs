using System.Globalization;
using Kim.WebApp.Clients.State.Models;
using Kim.WebApp.Components.Charts;

namespace Kim.WebApp.Components.Pages.State;

/// <summary>The German texts of the ministry's view.</summary>
public static class StateTexts
{
    /// <summary>
    /// A suppressed cell: a word, never "&lt; 5", because a complementary cell (suppressed so that a small one cannot be
    /// worked out from the totals) may hold any count, and marking only the small ones would tell them apart.
    /// </summary>
    public const string Suppressed = "unterdrückt";

    /// <summary>The note above the state's tables when small cells are suppressed.</summary>
    public static string SuppressionNote(int threshold) =>
        $"Felder mit weniger als {threshold} Nennungen sind unterdrückt, dazu so viele weitere, dass sich keines aus Summen oder n errechnen lässt; "
        + "ein unterdrücktes Feld kann daher auch eine größere Zahl enthalten. Unterdrückte Felder sind als „unterdrückt“ gekennzeichnet, nicht als 0; "
        + "„keine Angabe“ wird immer gezeigt.";

    /// <summary>
    /// The bars of a cross table's last column (the total; the only one left of a small subgroup) in percent; a suppressed
    /// cell is named, not drawn as 0 %.
    /// </summary>
    public static IReadOnlyList<Bar> TotalBars(LabelledTable table) =>
        [.. (table.Rows ?? []).Where(r => r.Value != "noAnswer" && r.Cells is { Count: > 0 }).Select(r => r.Cells![^1] is { Suppressed: true }
            ? new Bar(r.Label ?? r.Value ?? "–", null) { Missing = Suppressed }
            : new Bar(r.Label ?? r.Value ?? "–", r.Cells[^1].Percent))];

    public static string Percent(int? percent) => percent is { } p ? $"{p} %" : "–";

    public static string Mean(double? mean) => mean is { } m ? m.ToString("0.00", Texts.German) : "–";

    public static string Fte(double? fte) => fte is { } f ? f.ToString("0.0", Texts.German) : "–";

    /// <summary>The period asked for, or the current year; only years (and the like) of at most ten characters.</summary>
    public static string Period(string? period) =>
        period is { Length: > 0 and <= 10 } p && p.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            ? p
            : Texts.CurrentYear().ToString(CultureInfo.InvariantCulture);

    /// <summary>The subgroups offered for a cross table: every answer of a choice or yes/no question.</summary>
    public static IEnumerable<(string Value, string Text)> Subgroups() =>
        Submission.Survey.Questions.Where(q => q.Kind is Submission.AnswerKind.Choice or Submission.AnswerKind.YesNo)
            .SelectMany(q => q.Options.Select(o => ($"{q.Path}:{o.Value}", $"{q.Label}: {o.Text}")));
}
