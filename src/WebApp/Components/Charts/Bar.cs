using System.Globalization;

namespace Kim.WebApp.Components.Charts;

/// <summary>One bar of a <see cref="BarChart"/>: its label, its value (null: nothing measured) and optionally a target.</summary>
public sealed record Bar(string Label, double? Value)
{
    /// <summary>The target the value is compared with (e.g. target days of a chain step).</summary>
    public double? Target { get; init; }

    /// <summary>Marked with a thick frame and named in the text (e.g. the bottleneck); never by colour alone.</summary>
    public bool Highlight { get; init; }

    /// <summary>
    /// Said in the picture and the table when the bar has no value, instead of "keine Messung" and "–": e.g. "unterdrückt"
    /// for a suppressed cell of the state's tables, which is then no bar at all, never a bar of 0.
    /// </summary>
    public string? Missing { get; init; }

    /// <summary>Further figures shown in the table only (e.g. the 90th percentile).</summary>
    public IReadOnlyList<string> Details { get; init; } = [];

    /// <summary>Where a value starts to miss the target, when not just above it (whole target days: <c>Target + 1</c>).</summary>
    public double? LateFrom { get; init; }

    public bool OverTarget => LateFrom is { } late ? Value >= late : Value > Target;
}

/// <summary>
/// The geometry of a horizontal bar chart: one row per bar, a common scale from 0 to the largest value or target, a
/// vertical tick at each target. Pure, so it is tested without rendering.
/// </summary>
public sealed class BarChartLayout
{
    public const int LabelWidth = 260;
    public const int PlotWidth = 380;
    public const int ValueWidth = 240;
    public const int RowHeight = 30;
    public const int BarHeight = 18;
    public const int Top = 8;

    private BarChartLayout(IReadOnlyList<Row> rows, double maximum)
    {
        Rows = rows;
        Maximum = maximum;
    }

    public IReadOnlyList<Row> Rows { get; }

    /// <summary>The value at the right end of the plot.</summary>
    public double Maximum { get; }

    public int Width => LabelWidth + PlotWidth + ValueWidth;

    public int Height => Top * 2 + Math.Max(1, Rows.Count) * RowHeight;

    /// <summary>A bar placed: the bar's width in pixels and, when it has a target, the x of the target's tick.</summary>
    public sealed record Row(Bar Bar, int Y, double BarWidth, double? TargetX);

    /// <param name="maximum">A fixed end of the scale (e.g. 1 for scores); otherwise the largest value or target.</param>
    public static BarChartLayout Of(IReadOnlyList<Bar> bars, double? maximum = null)
    {
        var largest = bars.SelectMany(b => new[] { b.Value, b.Target }).OfType<double>().DefaultIfEmpty(0).Max();
        var scale = maximum ?? (largest <= 0 ? 1 : largest);
        double X(double value) => Math.Round(Math.Clamp(value / scale, 0, 1) * PlotWidth, 1);
        var rows = bars.Select((bar, index) => new Row(bar, Top + index * RowHeight, bar.Value is { } v ? X(v) : 0, bar.Target is { } t ? LabelWidth + X(t) : null)).ToList();
        return new BarChartLayout(rows, scale);
    }

    public static string Format(double? value, string format = "0.#") =>
        value is { } v ? v.ToString(format, CultureInfo.GetCultureInfo("de-DE")) : "–";
}
