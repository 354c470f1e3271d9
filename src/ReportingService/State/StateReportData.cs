namespace Kim.ReportingService.State;

/// <summary>A column of a labelled cross table: its key (<c>District</c>, <c>IndependentCity</c>, <c>total</c>), German label, n and mean.</summary>
public sealed record LabelledColumn(string Key, string Label, int N, double? Mean);

/// <summary>A row value with its German label and one cell per column, in the order of the columns.</summary>
public sealed record LabelledRow(string Value, string Label, IReadOnlyList<Cell> Cells);

/// <summary>
/// A cross table as a front end renders it: lists instead of maps, German labels, and for a table of the state report its
/// number and title. Suppressed cells keep <c>suppressed: true</c> and neither count nor percent; <c>smallCellThreshold</c>
/// says below which count cells were suppressed (0: no suppression), for the note above a table. A suppressed cell is not
/// necessarily small: complementary cells (<see cref="CellSuppression"/>) hold any count, so a front end writes
/// "unterdrückt", never "&lt; 5" beside one cell. A column of a rating with a suppressed cell has no mean.
/// </summary>
public sealed record LabelledTable(
    string? Number, string? Title, string Row, string? Column, string? Where, string? WhereLabel, IReadOnlyList<LabelledColumn> Columns, IReadOnlyList<LabelledRow> Rows,
    int SmallCellThreshold);

/// <summary>How many municipalities of each kind have one implementation type (Abb. 6).</summary>
public sealed record TypeCount(ImplementationType Type, string Label, int District, int IndependentCity, int Total);

/// <summary>The state report's content as data (the HTML report computes the same), for a front end that renders it itself.</summary>
public sealed record StateReportData(
    string Period, int Submissions, int SmallCellThreshold, IReadOnlyList<LabelledTable> Tables, IReadOnlyList<TypeCount> Types, IReadOnlyList<StaffingRow> Staffing);

public static class StateReportDataBuilder
{
    public static LabelledTable Label(CrossTable table, int threshold, ReportTable? definition = null) => new(
        definition?.Number,
        definition?.Title,
        table.Row,
        table.Column,
        table.Where,
        definition?.WhereLabel,
        [.. table.Columns.Select(c => new LabelledColumn(c, StateReport.Label(c), table.N[c], table.Mean?.GetValueOrDefault(c)))],
        [.. table.Rows.Select(r => new LabelledRow(r.Value, StateReport.Label(r.Value), [.. table.Columns.Select(c => r.Cells[c])]))],
        threshold);

    public static StateReportData Build(
        string period, int submissions, int threshold, IReadOnlyList<(ReportTable Table, CrossTable Data)> tables, TypologyResult typology, IReadOnlyList<StaffingRow> staffing) =>
        new(
            period,
            submissions,
            threshold,
            [.. tables.Select(t => Label(t.Data, threshold, t.Table))],
            [.. typology.Distribution.Select(d => new TypeCount(d.Key, Typology.TypeLabels[d.Key], d.Value["District"], d.Value["IndependentCity"], d.Value[CrossTables.Total]))],
            staffing);
}
