using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kim.ReportingService.State;

public sealed record Cell(int? Count, int? Percent, bool Suppressed = false);

public sealed record CrossRow(string Value, IReadOnlyDictionary<string, Cell> Cells);

/// <summary>A cross table of the answers at <see cref="Row"/>, in the shape of STATE_SUBMISSION.md.</summary>
public sealed record CrossTable(
    string Period, string Row, string? Column, string? Where, IReadOnlyList<string> Columns, IReadOnlyDictionary<string, int> N,
    IReadOnlyList<CrossRow> Rows, IReadOnlyDictionary<string, double?>? Mean);

/// <summary>One imported document with its municipality kind.</summary>
public sealed record Answers(string MunicipalityId, string Kind, JsonNode Document);

/// <summary>
/// Cross tables over submissions: counts and percentages per row value and column, <c>n</c> per column, a
/// <c>noAnswer</c> row outside <c>n</c>, bins for <c>casesTaken</c>, means for ratings, and small-cell suppression with
/// complementary cells (<see cref="CellSuppression"/>), so that no suppressed count follows from what the table publishes.
/// Pure: the API loads the documents, this computes.
/// </summary>
public static class CrossTables
{
    public const string Total = "total";
    public const string NoAnswer = "noAnswer";
    public static readonly string[] Kinds = ["District", "IndependentCity"];
    public static readonly string[] CaseBins = ["0", "1-19", "20-49", "50-99", "100-249", "250+"];

    public static CrossTable Compute(
        string period, IReadOnlyList<Answers> submissions, string row, string? column, string? where, int smallCellThreshold)
    {
        var selected = submissions.Where(s => Matches(s.Document, where)).ToList();
        var columns = column == "kind" ? [.. Kinds, Total] : new List<string> { Total };
        if (!string.IsNullOrEmpty(where) && smallCellThreshold > 1)
        {
            columns = SubgroupColumns(period, submissions, column, where, smallCellThreshold, columns);
        }

        string? ColumnOf(Answers answers) => column == "kind" ? answers.Kind : null;

        var values = selected.Select(s => (Column: ColumnOf(s), Value: ValueAt(s.Document, row))).ToList();
        int CountOf(string value, string c) => values.Count(v => (c == Total || v.Column == c) && (v.Value ?? NoAnswer) == value);
        var n = columns.ToDictionary(c => c, c => values.Count(v => (c == Total || v.Column == c) && v.Value is not null));
        var order = RowOrder(row, values.Select(v => v.Value).OfType<string>());

        // The answer rows are suppressed together with their complements (CellSuppression); "keine Angabe" is the difference
        // of two published figures (the submissions of a column and its n) and is always shown (docs/reporting.md).
        var counts = new int[order.Count, columns.Count];
        for (var r = 0; r < order.Count; r++)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                counts[r, c] = CountOf(order[r], columns[c]);
            }
        }

        var suppressed = CellSuppression.Suppress(counts, smallCellThreshold);
        var rows = order.Select((value, r) => new CrossRow(value, columns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => suppressed[r, x.i]
                ? new Cell(null, null, Suppressed: true)
                : new Cell(counts[r, x.i], n[x.c] == 0 ? null : Percent(counts[r, x.i], n[x.c])))))
            .Append(new CrossRow(NoAnswer, columns.ToDictionary(c => c, c => new Cell(CountOf(NoAnswer, c), null))))
            .ToList();

        Dictionary<string, double?>? mean = null;
        if (IsRating(row))
        {
            // A mean and n give the sum of the ratings, one more relation over the cells: a column with a suppressed cell
            // has no mean (null), a column without one publishes a mean that its visible cells already give.
            mean = columns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x =>
            {
                if (Enumerable.Range(0, order.Count).Any(r => suppressed[r, x.i]))
                {
                    return null;
                }

                var ratings = values.Where(v => (x.c == Total || v.Column == x.c) && v.Value is not null).Select(v => double.Parse(v.Value!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
                return ratings.Count == 0 ? (double?)null : Math.Round(ratings.Average(), 2, MidpointRounding.AwayFromZero);
            });
        }

        return new CrossTable(period, row, column, where, columns, n, rows, mean);
    }

    /// <summary>
    /// The columns a subgroup's table may show. Its n and "keine Angabe" of a column add up to the size of the subgroup in
    /// that column, which is a cell of the table of the subgroup's own question (split by kind or not). Where that cell is
    /// suppressed there, the column is left out, and with it so many others that none follows from the rest (a kind from
    /// the total and the other kind): at most one column then remains, or none.
    /// </summary>
    private static List<string> SubgroupColumns(string period, IReadOnlyList<Answers> submissions, string? column, string where, int threshold, List<string> columns)
    {
        var separator = where.LastIndexOf(':');
        var (path, value) = (where[..separator], where[(separator + 1)..]);
        bool Hidden(CrossTable table, string c) => table.Rows.FirstOrDefault(r => r.Value == value)?.Cells[c].Suppressed == true;
        var split = Compute(period, submissions, path, column, null, threshold);
        var hidden = columns.Where(c => Hidden(split, c)).ToHashSet();
        if (column == "kind" && Hidden(Compute(period, submissions, path, null, null, threshold), Total))
        {
            hidden.Add(Total);
        }

        var shown = columns.Where(c => !hidden.Contains(c)).ToList();
        return hidden.Count == 0 ? columns : [.. shown.Take(1)];
    }

    /// <summary>Whole percent, rounded half away from zero.</summary>
    public static int Percent(int count, int n) => (int)Math.Round(count * 100m / n, MidpointRounding.AwayFromZero);

    /// <summary>The answer at a dotted path as a row value; null for no answer.</summary>
    public static string? ValueAt(JsonNode document, string path)
    {
        JsonNode? node = document;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(part, out var next) ? next : null;
            if (node is null)
            {
                return null;
            }
        }

        if (node is not JsonValue value)
        {
            return null;
        }

        if (path == "caseManagement.casesTaken" && value.TryGetValue<int>(out var cases))
        {
            return cases switch
            {
                0 => "0",
                < 20 => "1-19",
                < 50 => "20-49",
                < 100 => "50-99",
                < 250 => "100-249",
                _ => "250+",
            };
        }

        return value.TryGetValue<bool>(out var flag) ? (flag ? "true" : "false") : value.ToString();
    }

    /// <summary>Whether the path names an answer the survey knows (for a 400 on a misspelt path).</summary>
    public static bool IsKnownPath(string path) =>
        SchemaOf(path) is { } node && !node.TryGetProperty("properties", out _)
        && !(node.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "array");

    /// <summary>The survey's schema, parsed once (a <see cref="JsonDocument"/> may be read by many requests at once).</summary>
    private static readonly JsonDocument Schema = JsonDocument.Parse(SubmissionValidator.Schema);

    /// <summary>The schema of the answer at a dotted path, or null when the survey has none there.</summary>
    private static JsonElement? SchemaOf(string path)
    {
        var node = Schema.RootElement;
        foreach (var part in path.Split('.'))
        {
            if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty("properties", out var properties)
                || properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(part, out node))
            {
                return null;
            }
        }

        return node;
    }

    private static bool IsRating(string row) => row.StartsWith("selfAssessment.", StringComparison.Ordinal);

    private static bool Matches(JsonNode document, string? where)
    {
        if (string.IsNullOrEmpty(where))
        {
            return true;
        }

        var separator = where.LastIndexOf(':');
        return ValueAt(document, where[..separator]) == where[(separator + 1)..];
    }

    /// <summary>Row values in the order of the survey: the schema's enumeration, true before false, bins, ratings 1-5.</summary>
    private static List<string> RowOrder(string row, IEnumerable<string> seen)
    {
        if (row == "caseManagement.casesTaken")
        {
            return [.. CaseBins];
        }

        var node = SchemaOf(row);
        if (node is { } declared && declared.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array)
        {
            return [.. values.EnumerateArray().Where(v => v.ValueKind != JsonValueKind.Null).Select(v => v.ToString())];
        }

        var type = node is { } typed && typed.TryGetProperty("type", out var declaredType) ? declaredType.GetRawText() : "";
        if (type.Contains("boolean", StringComparison.Ordinal))
        {
            return ["true", "false"];
        }

        if (IsRating(row))
        {
            return ["1", "2", "3", "4", "5"];
        }

        return [.. seen.Distinct().OrderBy(v => int.TryParse(v, out var i) ? i : int.MaxValue).ThenBy(v => v, StringComparer.Ordinal)];
    }
}
