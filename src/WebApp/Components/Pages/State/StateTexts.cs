using System.Globalization;

namespace Kim.WebApp.Components.Pages.State;

/// <summary>The German texts of the ministry's view.</summary>
public static class StateTexts
{
    public static string Suppressed(int threshold) => threshold > 1 ? $"unterdrückt (< {threshold})" : "unterdrückt";

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
