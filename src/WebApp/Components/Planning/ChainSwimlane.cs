namespace Kim.WebApp.Components.Planning;

/// <summary>One step of a service chain as the diagram draws it, with what monitoring measured for it (if anything).</summary>
public sealed record ChainStep(int Order, string Activity, string Organisation, int TargetDays)
{
    /// <summary>The measured median handover time of the step in days, when monitoring has one.</summary>
    public double? MeasuredDays { get; init; }

    /// <summary>The step monitoring ranks first as the chain's bottleneck.</summary>
    public bool IsBottleneck { get; init; }

    /// <summary>Measured slower than the target: target days are whole days, so a median under <c>TargetDays + 1</c> keeps it.</summary>
    public bool IsLate => MeasuredDays >= TargetDays + 1;
}

/// <summary>
/// The swimlane layout of a service chain (practice guide 4.7.2, <i>Visualisierungen</i>): one lane per organisation
/// in the order they first act, the steps in their order from left to right, one column each, and an arrow from
/// each step to the next; an arrow that changes lanes is a handover between organisations. Pure geometry, so the
/// drawing follows the chain and is tested without a browser.
/// </summary>
public sealed class ChainSwimlane
{
    public const int LabelWidth = 190;
    public const int ColumnWidth = 210;
    public const int LaneHeight = 130;
    public const int BoxWidth = 180;
    public const int BoxHeight = 96;
    public const int MaxLineLength = 24;
    public const int MaxLines = 3;

    private ChainSwimlane(IReadOnlyList<string> lanes, IReadOnlyList<Box> boxes, IReadOnlyList<Arrow> arrows)
    {
        Lanes = lanes;
        Boxes = boxes;
        Arrows = arrows;
    }

    /// <summary>The organisations, one lane each, in the order they first act in the chain.</summary>
    public IReadOnlyList<string> Lanes { get; }

    public IReadOnlyList<Box> Boxes { get; }

    public IReadOnlyList<Arrow> Arrows { get; }

    public int Width => LabelWidth + Math.Max(1, Boxes.Count) * ColumnWidth + 10;

    public int Height => Math.Max(1, Lanes.Count) * LaneHeight;

    public int Handovers => Arrows.Count(a => a.IsHandover);

    /// <summary>A step's box: its lane, its column and the activity broken into short lines.</summary>
    public sealed record Box(ChainStep Step, int Lane, int Column, IReadOnlyList<string> Lines)
    {
        public int X => LabelWidth + Column * ColumnWidth + (ColumnWidth - BoxWidth) / 2;

        public int Y => Lane * LaneHeight + (LaneHeight - BoxHeight) / 2;
    }

    /// <summary>From one step to the next; a handover when the next step belongs to another organisation.</summary>
    public sealed record Arrow(Box From, Box To)
    {
        public bool IsHandover => From.Lane != To.Lane;

        /// <summary>An SVG path: straight within a lane, with a bend in the gap between the columns across lanes.</summary>
        public string Path
        {
            get
            {
                var startX = From.X + BoxWidth;
                var startY = From.Y + BoxHeight / 2;
                var endX = To.X;
                var endY = To.Y + BoxHeight / 2;
                if (!IsHandover)
                {
                    return $"M {startX} {startY} H {endX - 2}";
                }

                var middle = (startX + endX) / 2;
                return $"M {startX} {startY} H {middle} V {endY} H {endX - 2}";
            }
        }
    }

    public static ChainSwimlane Layout(IEnumerable<ChainStep> steps)
    {
        var ordered = steps.OrderBy(s => s.Order).ToList();
        var lanes = ordered.Select(s => s.Organisation).Distinct(StringComparer.Ordinal).ToList();
        var boxes = ordered.Select((step, column) => new Box(step, lanes.IndexOf(step.Organisation), column, Wrap(step.Activity))).ToList();
        var arrows = boxes.Zip(boxes.Skip(1), (from, to) => new Arrow(from, to)).ToList();
        return new ChainSwimlane(lanes, boxes, arrows);
    }

    /// <summary>Breaks a text into at most <see cref="MaxLines"/> lines at spaces; what does not fit ends with an ellipsis.</summary>
    public static IReadOnlyList<string> Wrap(string text)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var piece = word.Length > MaxLineLength ? word[..(MaxLineLength - 1)] + "…" : word;
            if (line.Length == 0)
            {
                line = piece;
            }
            else if (line.Length + 1 + piece.Length <= MaxLineLength)
            {
                line += " " + piece;
            }
            else
            {
                lines.Add(line);
                line = piece;
            }
        }

        if (line.Length > 0)
        {
            lines.Add(line);
        }

        if (lines.Count > MaxLines)
        {
            var last = lines[MaxLines - 1];
            lines = [.. lines.Take(MaxLines - 1), (last.Length >= MaxLineLength ? last[..(MaxLineLength - 1)] : last) + "…"];
        }

        return lines;
    }
}
