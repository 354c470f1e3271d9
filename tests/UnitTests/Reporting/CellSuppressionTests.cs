using System.Text.Json.Nodes;
using Kim.ReportingService.State;

namespace Kim.UnitTests.Reporting;

/// <summary>
/// Small-cell suppression with complementary cells: for every suppressed cell, everything a cross table publishes (the
/// visible cells and percentages, n and "keine Angabe" per column, the submissions per kind, the means) must still admit
/// at least two non-negative counts. Checked by enumerating every table that matches what is published.
/// </summary>
public sealed class CellSuppressionTests
{
    private const string Forwarding = "caseManagement.forwardedToCarriers";
    private const string Review = "caseManagement.caseReviewFrequency";
    private const string Rating = "selfAssessment.municipal";

    private static JsonObject Document(string path, object? value)
    {
        var document = new JsonObject();
        var node = document;
        var parts = path.Split('.');
        foreach (var part in parts[..^1])
        {
            var next = new JsonObject();
            node[part] = next;
            node = next;
        }

        node[parts[^1]] = value switch
        {
            null => null,
            int i => JsonValue.Create(i),
            string s => JsonValue.Create(s),
            _ => throw new ArgumentException("string or int", nameof(value)),
        };
        return document;
    }

    /// <summary>Submissions of one kind: so many of each answer (null: no answer).</summary>
    private static IEnumerable<Answers> Of(string kind, string path, params (object? Value, int Count)[] answers) =>
        answers.SelectMany((a, i) => Enumerable.Range(0, a.Count).Select(j => new Answers($"{kind}-{i}-{j}", kind, Document(path, a.Value))));

    private static int CountOf(CrossTable table, string value, string column) => table.Rows.Single(r => r.Value == value).Cells[column].Count!.Value;

    private static bool IsSuppressed(CrossTable table, string value, string column) => table.Rows.Single(r => r.Value == value).Cells[column].Suppressed;

    /// <summary>
    /// The values each suppressed cell can take in a table that matches everything published: the visible counts and
    /// percentages, n per column, the submissions per kind (known to every reader from the list of submissions) and with
    /// them the published "keine Angabe". Enumerates the answer rows as a dynamic programme over the running column sums.
    /// </summary>
    private static Dictionary<(string Value, string Column), SortedSet<int>> Candidates(CrossTable table, IReadOnlyDictionary<string, int> submissions)
    {
        var kinds = table.Columns.Count > 1;
        int Target(string column) => kinds ? table.N[column] : (column == CrossTables.Total ? table.N[CrossTables.Total] : 0);
        var (first, second) = kinds ? (CrossTables.Kinds[0], CrossTables.Kinds[1]) : (CrossTables.Total, (string?)null);
        var (targetA, targetB) = (Target(first), second is null ? 0 : table.N[second]);
        var answers = table.Rows.Where(r => r.Value != CrossTables.NoAnswer).ToList();

        // The options of a row: (first, second) primitive counts that match its visible cells and percentages.
        bool Matches(Cell cell, int count, string column) =>
            cell.Suppressed || (cell.Count == count && (table.N[column] == 0 || cell.Percent == CrossTables.Percent(count, table.N[column])));
        var options = answers.Select(row =>
        {
            var list = new List<(int A, int B)>();
            for (var a = 0; a <= targetA; a++)
            {
                for (var b = 0; b <= targetB; b++)
                {
                    var ok = kinds
                        ? Matches(row.Cells[first], a, first) && Matches(row.Cells[second!], b, second!) && Matches(row.Cells[CrossTables.Total], a + b, CrossTables.Total)
                        : Matches(row.Cells[CrossTables.Total], a, CrossTables.Total);
                    if (ok)
                    {
                        list.Add((a, b));
                    }
                }
            }

            return list;
        }).ToList();

        var forward = new List<bool[,]> { new bool[targetA + 1, targetB + 1] };
        forward[0][0, 0] = true;
        foreach (var rowOptions in options)
        {
            var (before, after) = (forward[^1], new bool[targetA + 1, targetB + 1]);
            for (var a = 0; a <= targetA; a++)
            {
                for (var b = 0; b <= targetB; b++)
                {
                    if (!before[a, b])
                    {
                        continue;
                    }

                    foreach (var (oa, ob) in rowOptions.Where(o => a + o.A <= targetA && b + o.B <= targetB))
                    {
                        after[a + oa, b + ob] = true;
                    }
                }
            }

            forward.Add(after);
        }

        var backward = new bool[options.Count + 1][,];
        backward[options.Count] = new bool[targetA + 1, targetB + 1];
        backward[options.Count][targetA, targetB] = true;
        var result = new Dictionary<(string, string), SortedSet<int>>();
        for (var r = options.Count - 1; r >= 0; r--)
        {
            backward[r] = new bool[targetA + 1, targetB + 1];
            for (var a = 0; a <= targetA; a++)
            {
                for (var b = 0; b <= targetB; b++)
                {
                    foreach (var (oa, ob) in options[r].Where(o => a + o.A <= targetA && b + o.B <= targetB && backward[r + 1][a + o.A, b + o.B]))
                    {
                        backward[r][a, b] = true;
                        if (forward[r][a, b])
                        {
                            foreach (var (column, value) in kinds ? [(first, oa), (second!, ob), (CrossTables.Total, oa + ob)] : new[] { (CrossTables.Total, oa) })
                            {
                                if (answers[r].Cells[column].Suppressed)
                                {
                                    (result.TryGetValue((answers[r].Value, column), out var set) ? set : result[(answers[r].Value, column)] = []).Add(value);
                                }
                            }
                        }
                    }
                }
            }
        }

        Assert.True(backward[0][0, 0], "the published table must be consistent");

        // "keine Angabe": the submissions of a column minus its n, whatever the table shows.
        foreach (var column in table.Columns)
        {
            var cell = table.Rows.Single(r => r.Value == CrossTables.NoAnswer).Cells[column];
            if (cell.Suppressed)
            {
                result[(CrossTables.NoAnswer, column)] = [submissions[column] - table.N[column]];
            }
        }

        return result;
    }

    /// <summary>Every suppressed cell admits at least two counts; and a mean is only shown where no cell of its column is suppressed.</summary>
    private static void AssertNothingDerivable(CrossTable table, IReadOnlyList<Answers> submitted)
    {
        var submissions = table.Columns.ToDictionary(c => c, c => submitted.Count(s => c == CrossTables.Total || s.Kind == c));
        var candidates = Candidates(table, submissions);
        foreach (var row in table.Rows)
        {
            foreach (var column in table.Columns.Where(c => row.Cells[c].Suppressed))
            {
                Assert.True(candidates.TryGetValue((row.Value, column), out var values) && values.Count >= 2,
                    $"{table.Row} {row.Value}/{column}: the published figures leave only {string.Join(", ", values ?? [])} in\n{Dump(table)}");
                Assert.Null(row.Cells[column].Percent);
            }
        }

        foreach (var column in table.Columns.Where(c => table.Mean?.GetValueOrDefault(c) is not null))
        {
            Assert.DoesNotContain(table.Rows, r => r.Cells[column].Suppressed);
        }
    }

    private static string Dump(CrossTable table) =>
        string.Join(" | ", table.Columns.Select(c => $"{c} n={table.N[c]}")) + "\n" + string.Join("\n", table.Rows.Select(r =>
            $"{r.Value}: {string.Join(" | ", table.Columns.Select(c => r.Cells[c].Suppressed ? "S" : r.Cells[c].Count?.ToString(System.Globalization.CultureInfo.InvariantCulture)))}"));

    [Fact]
    public void The_forwarding_table_of_the_issue_hides_its_small_cells_behind_complementary_ones()
    {
        // Tab. 4 of the evaluation: the districts' single "in Planung" and the cities' two "nein" followed from the row and
        // column totals (6 − 5 and 15 − 13).
        Answers[] submissions =
        [
            .. Of("District", Forwarding, ("Yes", 16), ("No", 13), ("Planned", 1), (null, 1)),
            .. Of("IndependentCity", Forwarding, ("Yes", 15), ("No", 2), ("Planned", 5)),
        ];
        var table = CrossTables.Compute("2022", submissions, Forwarding, "kind", null, 5);

        AssertNothingDerivable(table, submissions);
        Assert.True(IsSuppressed(table, "Planned", "District"));
        Assert.True(IsSuppressed(table, "No", "IndependentCity"));
        // Their complements: the smallest other cell of the row ("in Planung": the cities' 5; "nein": the districts' 13).
        Assert.True(IsSuppressed(table, "Planned", "IndependentCity"));
        Assert.True(IsSuppressed(table, "No", "District"));
        // Everything else stays, with n of every column and the totals.
        Assert.Equal([16, 15, 31], table.Columns.Select(c => CountOf(table, "Yes", c)));
        Assert.Equal(15, CountOf(table, "No", CrossTables.Total));
        Assert.Equal(6, CountOf(table, "Planned", CrossTables.Total));
        Assert.Equal([30, 22, 52], table.Columns.Select(c => table.N[c]));
    }

    [Fact]
    public void No_answer_is_shown_because_n_and_the_submissions_of_the_column_give_it_anyway()
    {
        // 22 districts, 20 answered: "n = 20" beside 22 submissions is a "keine Angabe" of 2, hidden or not.
        Answers[] submissions = [.. Of("District", Forwarding, ("Yes", 12), ("No", 8), (null, 2)), .. Of("IndependentCity", Forwarding, ("Yes", 10), ("No", 12))];
        var table = CrossTables.Compute("2022", submissions, Forwarding, "kind", null, 5);

        AssertNothingDerivable(table, submissions);
        Assert.Equal(20, table.N["District"]);
        Assert.False(IsSuppressed(table, CrossTables.NoAnswer, "District"));
        Assert.Equal(2, CountOf(table, CrossTables.NoAnswer, "District"));
        Assert.Equal(2, CountOf(table, CrossTables.NoAnswer, CrossTables.Total));
        // Nothing in the answer rows is small: nothing is suppressed at all.
        Assert.DoesNotContain(table.Rows, r => r.Cells.Values.Any(c => c.Suppressed));
    }

    [Fact]
    public void A_cell_alone_in_its_column_is_hidden_with_a_neighbour_of_the_same_column()
    {
        // Without kinds only n relates the cells: one suppressed cell would be n minus the others.
        Answers[] submissions = [.. Of("District", Review, ("WeeklyOrMore", 11), ("SeveralPerMonth", 15), ("Monthly", 12), ("LessThanMonthly", 1), ("Planned", 12), ("No", 1))];
        var table = CrossTables.Compute("2022", submissions, Review, null, null, 5);

        AssertNothingDerivable(table, submissions);
        Assert.True(IsSuppressed(table, "LessThanMonthly", CrossTables.Total));
        Assert.True(IsSuppressed(table, "No", CrossTables.Total));
        Assert.Equal(2, table.Rows.Count(r => r.Cells[CrossTables.Total].Suppressed));

        // One small cell alone: its smallest neighbour goes with it.
        Answers[] single = [.. Of("District", Review, ("WeeklyOrMore", 11), ("SeveralPerMonth", 15), ("Monthly", 12), ("LessThanMonthly", 1), ("Planned", 9))];
        var alone = CrossTables.Compute("2022", single, Review, null, null, 5);
        AssertNothingDerivable(alone, single);
        Assert.True(IsSuppressed(alone, "Planned", CrossTables.Total));
        Assert.Equal(2, alone.Rows.Count(r => r.Cells[CrossTables.Total].Suppressed));
    }

    [Fact]
    public void A_rating_column_with_a_suppressed_cell_has_no_mean()
    {
        // n and the mean give the sum of the ratings: with two hidden cells in a column that is a second equation.
        Answers[] submissions = [.. Of("District", Rating, (1, 1), (2, 10), (3, 12), (4, 2), (5, 6)), .. Of("IndependentCity", Rating, (2, 8), (3, 9), (4, 5))];
        var table = CrossTables.Compute("2022", submissions, Rating, "kind", null, 5);

        AssertNothingDerivable(table, submissions);
        Assert.Null(table.Mean!["District"]);
        Assert.Null(table.Mean[CrossTables.Total]);

        // Without suppression every mean is shown.
        Assert.DoesNotContain(CrossTables.Compute("2022", submissions, Rating, "kind", null, 0).Mean!.Values, m => m is null);
    }

    [Fact]
    public void A_column_of_one_municipality_does_not_give_its_answer_away()
    {
        // Six districts said yes, the one independent city no: n = 1 and a visible 0 beside its hidden 1 would name it.
        Answers[] submissions = [.. Of("District", Forwarding, ("Yes", 6)), .. Of("IndependentCity", Forwarding, ("No", 1))];
        var table = CrossTables.Compute("2022", submissions, Forwarding, "kind", null, 5);

        AssertNothingDerivable(table, submissions);
        // The city's column keeps no visible cell beside its hidden one but zeros: its "ja" goes too (the smallest, a 0),
        // and with both the totals of the two rows; the districts' figures stay.
        Assert.Equal(
            [false, true, true, false, true, true],
            new[] { "Yes", "No" }.SelectMany(v => table.Columns.Select(c => IsSuppressed(table, v, c))));
        Assert.Equal(6, CountOf(table, "Yes", "District"));
        Assert.Equal([0, 0, 0], table.Columns.Select(c => CountOf(table, "Planned", c)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Without_a_threshold_nothing_changes(int threshold)
    {
        Answers[] submissions = [.. Of("District", Forwarding, ("Yes", 16), ("No", 13), ("Planned", 1), (null, 1)), .. Of("IndependentCity", Forwarding, ("Yes", 15), ("No", 2), ("Planned", 5))];
        var table = CrossTables.Compute("2022", submissions, Forwarding, "kind", null, threshold);

        Assert.DoesNotContain(table.Rows, r => r.Cells.Values.Any(c => c.Suppressed));
        Assert.Equal([1, 5, 6], table.Columns.Select(c => CountOf(table, "Planned", c)));
        Assert.Equal([3, 23, 12], table.Columns.Select(c => table.Rows.Single(r => r.Value == "Planned").Cells[c].Percent!.Value));
        Assert.Equal([1, 0, 1], table.Columns.Select(c => CountOf(table, CrossTables.NoAnswer, c)));
        Assert.DoesNotContain(true, CellSuppression.Suppress(new[,] { { 1, 2, 3 }, { 4, 5, 9 } }, threshold).Cast<bool>());
    }

    [Fact]
    public void The_rule_itself_completes_every_relation_with_exactly_one_suppressed_cell()
    {
        // Columns: two kinds and their total. Row 0 has a small 2 (primary). Its column takes the 3 below (the smallest
        // other), its row the 7 (smaller than 9), the 3's row the 8; then every column and row holds none or two.
        int[,] counts = { { 2, 7, 9 }, { 3, 8, 11 }, { 20, 10, 30 } };
        var suppressed = CellSuppression.Suppress(counts, 3);

        Assert.Equal([true, true, false, true, true, false, false, false, false], suppressed.Cast<bool>());

        // A zero is taken only when nothing positive is left: the hidden 1's column has only zeros beside it.
        Assert.Equal([false, true, true, false, true, true], CellSuppression.Suppress(new[,] { { 6, 0, 6 }, { 0, 1, 1 } }, 5).Cast<bool>());
    }

    [Fact]
    public void A_subgroup_shows_no_column_whose_size_is_suppressed_in_the_table_of_its_question()
    {
        // n + "keine Angabe" of a subgroup's column is its size: for "in Planung" the districts' 1 and the cities' 5,
        // both suppressed in Tab. 4. Only the total (6, shown in Tab. 4) remains.
        Answers[] submissions =
        [
            .. Of("District", Forwarding, ("Yes", 16), ("No", 13), ("Planned", 1), (null, 1)),
            .. Of("IndependentCity", Forwarding, ("Yes", 15), ("No", 2), ("Planned", 5)),
        ];
        var planned = CrossTables.Compute("2022", submissions, Review, "kind", $"{Forwarding}:Planned", 5);
        Assert.Equal([CrossTables.Total], planned.Columns);
        Assert.Equal(6, planned.N[CrossTables.Total] + CountOf(planned, CrossTables.NoAnswer, CrossTables.Total));
        Assert.All(planned.Rows, r => Assert.Equal([CrossTables.Total], r.Cells.Keys));

        // A subgroup whose size is shown everywhere keeps every column; without a threshold every subgroup does.
        Assert.Equal(3, CrossTables.Compute("2022", submissions, Review, "kind", $"{Forwarding}:Yes", 5).Columns.Count);
        Assert.Equal(3, CrossTables.Compute("2022", submissions, Review, "kind", $"{Forwarding}:Planned", 0).Columns.Count);

        // Six districts forwarded, the one city did not: the subgroup's total of 6 is suppressed (as a complement) in the
        // table of its question, since with the districts' 6 it would give the city's 0 and so its "nein" away.
        Answers[] seven = [.. Of("District", Forwarding, ("Yes", 6)), .. Of("IndependentCity", Forwarding, ("No", 1))];
        var forwarded = CrossTables.Compute("2022", seven, Forwarding, "kind", $"{Forwarding}:Yes", 5);
        Assert.Equal(["District"], forwarded.Columns);
        Assert.Equal(6, forwarded.N["District"]);

        // Without kinds: the two "nein" are suppressed in the table of the question, so the subgroup shows no column at all.
        Answers[] few = [.. Of("District", Forwarding, ("Yes", 16), ("No", 2), ("Planned", 7))];
        Assert.Empty(CrossTables.Compute("2022", few, Review, null, $"{Forwarding}:No", 5).Columns);
    }

    [Fact]
    public void The_printed_report_and_the_csv_write_a_suppressed_cell_as_suppressed_never_as_0_percent_or_as_small()
    {
        Answers[] submissions = [.. Of("District", Forwarding, ("Yes", 6)), .. Of("IndependentCity", Forwarding, ("No", 1))];
        var table = CrossTables.Compute("2022", submissions, Forwarding, "kind", null, 5);
        var types = Enum.GetValues<ImplementationType>().ToDictionary(
            t => t, t => (IReadOnlyDictionary<string, int>)new Dictionary<string, int> { ["District"] = 0, ["IndependentCity"] = 0, [CrossTables.Total] = 0 });
        var html = StateReport.Html("2022", 7, [(StateReport.Tables[2], table)], new TypologyResult("2022", [], types), [], 5);

        // The bars of the total column: "ja" and "nein" are suppressed (words, no bar), "in Planung" is a true 0 %.
        var bars = html[html.IndexOf("<svg", StringComparison.Ordinal)..(html.IndexOf("</svg>", StringComparison.Ordinal) + 6)];
        Assert.Equal(2, bars.Split(">unterdrückt</text>").Length - 1);
        Assert.Equal(1, bars.Split(">0 %</text>").Length - 1);
        Assert.Equal(1, bars.Split("<rect").Length - 1);
        // The cells: a word, never "< 5", which a complementary cell (here the districts' 6 beside it) need not be.
        Assert.DoesNotContain("&lt;5", html, StringComparison.Ordinal);
        Assert.Contains("<td>ja</td><td>6</td><td>100</td><td>unterdrückt</td><td></td><td>unterdrückt</td><td></td>", html, StringComparison.Ordinal);
        Assert.Contains("ja;6;100;unterdrückt;;unterdrückt;", StateReport.Csv(table), StringComparison.Ordinal);

        Answers[] ratings = [.. Of("District", Rating, (1, 1), (2, 10), (3, 12), (4, 2), (5, 6)), .. Of("IndependentCity", Rating, (2, 8), (3, 9), (4, 5))];
        var rating = CrossTables.Compute("2022", ratings, Rating, "kind", null, 5);
        var rated = StateReport.Html("2022", 53, [(StateReport.Tables[7], rating)], new TypologyResult("2022", [], types), [], 5);
        Assert.Contains("<td>Mittelwert</td><td colspan=\"2\">unterdrückt</td>", rated, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_tables_never_leave_a_suppressed_cell_derivable()
    {
        var random = new Random(20221);
        var paths = new[] { Forwarding, Review, Rating };
        for (var i = 0; i < 400; i++)
        {
            var path = paths[i % paths.Length];
            object[] values = path == Rating ? [1, 2, 3, 4, 5] : path == Forwarding ? ["Yes", "No", "Planned"] : ["WeeklyOrMore", "SeveralPerMonth", "Monthly", "LessThanMonthly", "Planned", "No"];

            // Skewed answers so that small counts and zeros are common; up to 31 districts and 22 independent cities.
            IEnumerable<Answers> Kind(string kind, int count) => Enumerable.Range(0, count).Select(j =>
            {
                var pick = random.NextDouble();
                var value = pick < 0.08 ? null : values[Math.Min(values.Length - 1, (int)(Math.Pow(random.NextDouble(), 2.5) * values.Length))];
                return new Answers($"{kind}-{j}", kind, Document(path, value));
            });
            Answers[] submissions = [.. Kind("District", random.Next(0, 32)), .. Kind("IndependentCity", random.Next(0, 23))];
            var column = i % 2 == 0 ? "kind" : null;
            var threshold = new[] { 2, 3, 5 }[i % 3];

            AssertNothingDerivable(CrossTables.Compute("2022", submissions, path, column, null, threshold), submissions);
        }
    }
}
