namespace Kim.ReportingService.State;

/// <summary>
/// Small-cell suppression of a cross table, primary and complementary (secondary). Pure: counts in, a mask out.
/// <para>
/// The table is <c>counts[row, column]</c>: one row per answer value (the <c>noAnswer</c> row is not part of it, see
/// docs/reporting.md), one column per municipality kind followed by their total, or the total alone. Published with it
/// are the margins <c>n</c> of every column, so the published linear relations are:
/// </para>
/// <list type="bullet">
/// <item>per column: the answer rows sum to <c>n</c> of the column;</item>
/// <item>per row, when there are kind columns: the kinds sum to the total column.</item>
/// </list>
/// <para>
/// <b>Primary</b>: a cell with <c>0 &lt; count &lt; threshold</c> is suppressed. <b>Complementary</b>: a relation
/// with exactly one suppressed cell gives that cell away (it is the published margin minus the visible cells), so
/// whenever one has exactly one, the smallest other cell of that relation is suppressed too: a positive count before
/// a zero (a zero moves nothing the reader could trade against the hidden cell), then the first in the order of the
/// table (rows top down, columns left to right). Repeated until no relation has exactly one suppressed cell.
/// </para>
/// <para>
/// Why that suffices here: take the answer rows and the columns as nodes and the suppressed cells as edges between
/// their row and their column. Every node then has no or at least two edges, and a graph like that with at most three
/// column nodes (two kinds and the total) has no bridge: every suppressed cell lies on a cycle of suppressed cells,
/// along which counts can be moved without changing any published figure. The preference for positive counts keeps
/// such a move possible. Zeros can still pin a cell (two hidden zeros beside a visible row total of 0 can only be 0, and
/// then the hidden cells of their columns follow): <see cref="Unprotected"/> finds such cells exactly, and each of them
/// takes the smallest visible cell of each of its relations along, followed by the fixpoint again, until every suppressed
/// cell can hold another count or nothing is left to suppress. The unit tests check by enumeration that every suppressed
/// cell admits at least two values.
/// </para>
/// With <c>threshold &lt;= 1</c> nothing is suppressed.
/// </summary>
public static class CellSuppression
{
    /// <summary>Which cells to suppress: primary cells below the threshold and their complements, as described above.</summary>
    /// <param name="counts">Counts per answer row and column; with more than one column the last is the total of the others.</param>
    /// <param name="threshold">Counts from 1 to <c>threshold − 1</c> are suppressed; 0 or 1 turns suppression off.</param>
    public static bool[,] Suppress(int[,] counts, int threshold)
    {
        var (rows, columns) = (counts.GetLength(0), counts.GetLength(1));
        var suppressed = new bool[rows, columns];
        if (threshold <= 1)
        {
            return suppressed;
        }

        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                suppressed[r, c] = counts[r, c] > 0 && counts[r, c] < threshold;
            }
        }

        var relations = Relations(rows, columns);
        Complete(counts, suppressed, relations);

        // Zeros can still pin a cell (a hidden 0 beside a visible row total of 0 moves nowhere). Each cell that could hold
        // no other count takes the smallest visible cell of each of its relations along, until none is left or none helps.
        while (Unprotected(counts, suppressed) is { Count: > 0 } unprotected)
        {
            var added = false;
            foreach (var (row, column) in unprotected)
            {
                foreach (var relation in relations.Where(relation => relation.Contains((row, column))))
                {
                    if (Smallest(counts, suppressed, relation) is { } extra)
                    {
                        suppressed[extra.Row, extra.Column] = true;
                        added = true;
                    }
                }
            }

            if (!added)
            {
                break;
            }

            Complete(counts, suppressed, relations);
        }

        return suppressed;
    }

    /// <summary>
    /// The suppressed cells whose count follows from the visible cells and the margins. Exact: with the visible cells fixed,
    /// the suppressed ones are the flows of a network (kind columns into the rows, the rows into the total column, or the
    /// one column into the unpublished rest), and a cell can change without changing any published figure exactly when it
    /// lies on a cycle of the residual network (up along any cell, down only along a cell above 0).
    /// </summary>
    public static List<(int Row, int Column)> Unprotected(int[,] counts, bool[,] suppressed)
    {
        var (rows, columns) = (counts.GetLength(0), counts.GetLength(1));
        var total = columns - 1;
        int RowNode(int row) => columns + row;
        const int Rest = -1;
        var edges = new List<(int From, int To, int Count, (int Row, int Column) Cell)>();
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                if (suppressed[r, c])
                {
                    edges.Add(columns == 1 ? (0, Rest, counts[r, c], (r, c)) : c < total ? (c, RowNode(r), counts[r, c], (r, c)) : (RowNode(r), total, counts[r, c], (r, c)));
                }
            }
        }

        // Residual arcs: up along the edge, down against it while the count is above 0.
        var arcs = edges.SelectMany((e, i) => e.Count > 0 ? new[] { (e.From, e.To, Edge: i), (From: e.To, To: e.From, Edge: i) } : [(e.From, e.To, Edge: i)]).ToList();
        bool Reaches(int from, int to, int without)
        {
            var seen = new HashSet<int> { from };
            var queue = new Queue<int>([from]);
            while (queue.TryDequeue(out var node))
            {
                if (node == to)
                {
                    return true;
                }

                foreach (var arc in arcs.Where(a => a.From == node && a.Edge != without && seen.Add(a.To)))
                {
                    queue.Enqueue(arc.To);
                }
            }

            return false;
        }

        return [.. edges.Where((e, i) => !Reaches(e.To, e.From, i) && !(e.Count > 0 && Reaches(e.From, e.To, i))).Select(e => e.Cell)];
    }

    /// <summary>The fixpoint: while a relation holds exactly one suppressed cell, the smallest other cell of it is suppressed too.</summary>
    private static void Complete(int[,] counts, bool[,] suppressed, List<List<(int Row, int Column)>> relations)
    {
        bool changed;
        do
        {
            changed = false;
            foreach (var relation in relations)
            {
                if (relation.Count(cell => suppressed[cell.Row, cell.Column]) == 1 && Smallest(counts, suppressed, relation) is { } complement)
                {
                    suppressed[complement.Row, complement.Column] = true;
                    changed = true;
                }
            }
        }
        while (changed);
    }

    /// <summary>The visible cell of a relation to suppress next: a positive count before a zero, the smallest, the first in the table's order.</summary>
    private static (int Row, int Column)? Smallest(int[,] counts, bool[,] suppressed, List<(int Row, int Column)> relation) =>
        relation.Where(cell => !suppressed[cell.Row, cell.Column])
            .OrderBy(cell => counts[cell.Row, cell.Column] > 0 ? 0 : 1)
            .ThenBy(cell => counts[cell.Row, cell.Column])
            .Select(cell => ((int Row, int Column)?)cell)
            .FirstOrDefault();

    /// <summary>The published relations as lists of cells, in the order of the table: every column, then every row (with kind columns).</summary>
    private static List<List<(int Row, int Column)>> Relations(int rows, int columns)
    {
        var relations = new List<List<(int Row, int Column)>>();
        for (var c = 0; c < columns; c++)
        {
            relations.Add([.. Enumerable.Range(0, rows).Select(r => (r, c))]);
        }

        if (columns > 1)
        {
            for (var r = 0; r < rows; r++)
            {
                relations.Add([.. Enumerable.Range(0, columns).Select(c => (r, c))]);
            }
        }

        return relations;
    }
}
