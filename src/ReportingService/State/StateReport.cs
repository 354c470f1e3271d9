using System.Globalization;
using System.Text;
using CsvWriter = Kim.ServiceDefaults.Csv;

namespace Kim.ReportingService.State;

/// <summary>A table of the printable state report: its number, German title and the cross table behind it.</summary>
public sealed record ReportTable(string Number, string Title, string Row, string? Column, string? Where, string? WhereLabel = null);

/// <summary>The printable state report (HTML, German labels, bar charts as inline SVG) and CSV exports.</summary>
public static class StateReport
{
    /// <summary>The tables of the evaluation report's table volume that the survey answers, numbered as there; "Ergänzend" for additions.</summary>
    public static readonly IReadOnlyList<ReportTable> Tables =
    [
        new("Tab. 2", "Wie viele Treffen der Lenkungsgruppe fanden bereits statt?", "projectOrganisation.steeringGroupMeetings", "kind", null),
        new("Tab. 3", "Anzahl CM-Fälle", "caseManagement.casesTaken", null, null),
        new("Tab. 4", "Weiterleitung CM-Stellen an Freie Wohlfahrt", "caseManagement.forwardedToCarriers", "kind", null),
        new("Tab. 5", "Übergeordnete Koordination KIM CM", "caseManagement.superordinateCoordination", "kind", null),
        new("Tab. 10", "Weiterleitende Kommunen: CM-Instrumente, Leistungssteuerung", "caseManagement.commonInstruments.serviceSteering", "kind", "caseManagement.forwardedToCarriers:Yes",
            "Nur Kommunen, die CM-Stellen an die Freie Wohlfahrt weitergeleitet haben"),
        new("Tab. 11", "Werden gemeinsame Sitzungen mit allen Case Manager:innen im KIM für Fallbesprechungen durchgeführt?", "caseManagement.caseReviewFrequency", null, null),
        new("Tab. 12", "Werden gemeinsame Sitzungen mit allen Case Manager:innen im KIM für Fallrekonstruktionen durchgeführt?", "caseManagement.caseReconstructionFrequency", null, null),
        new("Tab. 13", "Wie bewerten Sie den bisherigen Umsetzungsprozess von KIM? (1 = sehr gut … 5 = sehr schlecht)", "selfAssessment.municipal", "kind", null),
        new("Ergänzend:", "Lenkungsgruppe", "projectOrganisation.steeringGroup", "kind", null),
        new("Ergänzend:", "Zusammensetzung der Lenkungsgruppe", "projectOrganisation.steeringGroupComposition", "kind", null),
        new("Ergänzend:", "Funktion des Netzwerks", "network.networkFunction", "kind", null),
    ];

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["District"] = "Landkreis",
        ["IndependentCity"] = "kreisfreie Stadt",
        ["total"] = "Gesamt",
        ["noAnswer"] = "keine Angabe",
        ["Yes"] = "ja",
        ["No"] = "nein",
        ["Planned"] = "in Planung",
        ["NotApplicable"] = "entfällt",
        ["true"] = "ja",
        ["false"] = "nein",
        ["WeeklyOrMore"] = "ja, mind. wöchentlich",
        ["SeveralPerMonth"] = "ja, mehrmals im Monat",
        ["Monthly"] = "ja, monatlich",
        ["LessThanMonthly"] = "ja, seltener als 1x im Monat",
        ["Established"] = "eingerichtet",
        ["None"] = "nicht vorhanden",
        ["AdministrationDominated"] = "verwaltungsdominiert",
        ["Parity"] = "(fast) paritätisch",
        ["Other"] = "andere",
        ["Information"] = "Information und Abstimmung",
        ["Negotiation"] = "Aushandlung",
        ["JointPlanning"] = "gemeinsames Planen",
        ["250+"] = "250 und mehr",
    };

    public static string Label(string value) => Labels.GetValueOrDefault(value, value);

    /// <summary>A CSV download: UTF-8 with byte-order mark, so spreadsheet software reads the umlauts.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.FileContentHttpResult CsvFile(string csv, string name) =>
        TypedResults.File(CsvWriter.Encode(csv), "text/csv; charset=utf-8", name);

    /// <summary>The type of every municipality with its dimension scores, German headers.</summary>
    public static string TypologyCsv(TypologyResult typology)
    {
        var csv = CsvWriter.Line(new StringBuilder(), ["Kommune", "Name", "Art", "Typ", "Mittelwert", .. Typology.Labels.Values]);
        foreach (var row in typology.Municipalities)
        {
            CsvWriter.Line(csv, [row.MunicipalityId, row.Name, Label(row.Kind), row.TypeLabel, Decimal(row.Mean), .. row.Dimensions.Select(d => Decimal(d.Score))]);
        }

        return csv.ToString();
    }

    /// <summary>Positions (full-time equivalents) per building block and municipality kind.</summary>
    public static string StaffingCsv(IReadOnlyList<StaffingRow> staffing)
    {
        var csv = CsvWriter.Line(new StringBuilder(), "Baustein", "Art", "bewilligt (VZÄ)", "abgerufen (VZÄ)", "besetzt (VZÄ)");
        foreach (var row in staffing)
        {
            CsvWriter.Line(csv, row.BuildingBlock.ToString(CultureInfo.InvariantCulture), Label(row.Kind), Decimal(row.Allocated), Decimal(row.Requested), Decimal(row.Filled));
        }

        return csv.ToString();
    }

    private static string Decimal(double value) => value.ToString("0.##", CultureInfo.InvariantCulture).Replace('.', ',');

    /// <summary>
    /// How a suppressed cell is written: a word, not "&lt; threshold", because a complementary cell may hold any count and
    /// marking only the small ones would tell them apart.
    /// </summary>
    public const string Suppressed = "unterdrückt";

    /// <summary>CSV (semicolon, as German spreadsheet software expects) of a cross table: count and percent per column.</summary>
    public static string Csv(CrossTable table)
    {
        var csv = CsvWriter.Line(new StringBuilder(), [table.Row, .. table.Columns.SelectMany(c => new[] { $"{Label(c)} Anzahl", $"{Label(c)} %" })]);
        foreach (var row in table.Rows)
        {
            CsvWriter.Line(csv, [Label(row.Value), .. table.Columns.SelectMany(c => new[]
            {
                row.Cells[c].Suppressed ? Suppressed : row.Cells[c].Count?.ToString(CultureInfo.InvariantCulture),
                row.Cells[c].Percent?.ToString(CultureInfo.InvariantCulture),
            })]);
        }

        return CsvWriter.Line(csv, ["n", .. table.Columns.SelectMany(c => new[] { table.N[c].ToString(CultureInfo.InvariantCulture), "" })]).ToString();
    }

    public static string Html(string period, int submissions, IReadOnlyList<(ReportTable Table, CrossTable Data)> tables, TypologyResult typology, IReadOnlyList<StaffingRow> staffing, int threshold)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>KIM NRW – Landesbericht ").Append(E(period)).Append("</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:60rem}h1{font-size:1.6rem}h2{font-size:1.15rem;margin-top:2rem}")
            .Append("table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #999;padding:.25rem .5rem;text-align:right}th:first-child,td:first-child{text-align:left}")
            .Append("th{background:#eef}.note{font-size:.85rem;color:#555}svg{display:block;margin:.5rem 0}@media print{h2{break-after:avoid}table,svg{break-inside:avoid}}")
            .Append("</style></head><body>");
        html.Append("<h1>Kommunales Integrationsmanagement NRW – Landesbericht ").Append(E(period)).Append("</h1>");
        html.Append("<p>Grundlage: ").Append(submissions).Append(" kommunale Meldungen. Prozentangaben auf ganze Zahlen gerundet; „keine Angabe“ zählt nicht zu n.");
        if (threshold > 1)
        {
            html.Append(" Felder mit weniger als ").Append(threshold).Append(" Nennungen sind unterdrückt, dazu so viele weitere, dass sich keines aus Summen oder n")
                .Append(" errechnen lässt; ein unterdrücktes Feld kann daher auch eine größere Zahl enthalten. „keine Angabe“ wird immer gezeigt.");
        }

        html.Append("</p>");
        foreach (var (table, data) in tables)
        {
            html.Append("<h2>").Append(E(table.Number)).Append(' ').Append(E(table.Title)).Append("</h2>");
            if (table.Where is not null)
            {
                html.Append("<p class=\"note\">").Append(E(table.WhereLabel ?? table.Where)).Append("</p>");
            }

            html.Append("<table><thead><tr><th></th>");
            foreach (var column in data.Columns)
            {
                html.Append("<th colspan=\"2\">").Append(E(Label(column))).Append(" (n = ").Append(data.N[column]).Append(")</th>");
            }

            html.Append("</tr><tr><th></th>");
            foreach (var _ in data.Columns)
            {
                html.Append("<th>Anzahl</th><th>%</th>");
            }

            html.Append("</tr></thead><tbody>");
            foreach (var row in data.Rows)
            {
                html.Append("<tr><td>").Append(E(Label(row.Value))).Append("</td>");
                foreach (var column in data.Columns)
                {
                    var cell = row.Cells[column];
                    html.Append("<td>").Append(cell.Suppressed ? Suppressed : cell.Count?.ToString(CultureInfo.InvariantCulture)).Append("</td><td>")
                        .Append(cell.Percent?.ToString(CultureInfo.InvariantCulture)).Append("</td>");
                }

                html.Append("</tr>");
            }

            if (data.Mean is not null)
            {
                html.Append("<tr><td>Mittelwert</td>");
                foreach (var column in data.Columns)
                {
                    var withheld = data.Mean[column] is null && data.Rows.Any(r => r.Cells[column].Suppressed);
                    html.Append("<td colspan=\"2\">").Append(withheld ? Suppressed : data.Mean[column]?.ToString("0.00", CultureInfo.InvariantCulture).Replace('.', ',')).Append("</td>");
                }

                html.Append("</tr>");
            }

            html.Append("</tbody></table>");
            // The bars of the last column (the total, unless a small subgroup left only one column): a suppressed cell is a
            // bar of its own with the word, never a bar of 0 %.
            if (data.Columns.Count > 0)
            {
                var last = data.Columns[^1];
                html.Append(Bars([.. data.Rows.Where(r => r.Value != CrossTables.NoAnswer)
                    .Select(r => (Label(r.Value), r.Cells[last] is { Suppressed: true } ? (int?)null : r.Cells[last].Percent ?? 0))]));
            }
        }

        html.Append("<h2>Abb. 6 Typen der Arbeitsprozesse in KIM</h2><table><thead><tr><th>Typ</th><th>Landkreis</th><th>kreisfreie Stadt</th><th>Gesamt</th></tr></thead><tbody>");
        foreach (var (type, byKind) in typology.Distribution)
        {
            html.Append("<tr><td>").Append(E(Typology.TypeLabels[type])).Append("</td><td>").Append(byKind["District"]).Append("</td><td>")
                .Append(byKind["IndependentCity"]).Append("</td><td>").Append(byKind[CrossTables.Total]).Append("</td></tr>");
        }

        html.Append("</tbody></table>");
        var total = Math.Max(typology.Municipalities.Count, 1);
        html.Append(Bars([.. typology.Distribution.Select(d => (Typology.TypeLabels[d.Key], (int?)CrossTables.Percent(d.Value[CrossTables.Total], total)))]));

        html.Append("<h2>Tab. 1 Stellen nach Baustein (VZÄ)</h2><table><thead><tr><th>Baustein</th><th></th><th>bewilligt</th><th>abgerufen</th><th>besetzt</th></tr></thead><tbody>");
        foreach (var row in staffing)
        {
            html.Append("<tr><td>").Append(row.BuildingBlock).Append("</td><td>").Append(E(Label(row.Kind))).Append("</td><td>").Append(Fte(row.Allocated))
                .Append("</td><td>").Append(Fte(row.Requested)).Append("</td><td>").Append(Fte(row.Filled)).Append("</td></tr>");
        }

        html.Append("</tbody></table></body></html>");
        return html.ToString();
    }

    /// <summary>Horizontal bars of whole percentages; a bar without a percent (null) is a suppressed cell and says so in words.</summary>
    private static string Bars(IReadOnlyList<(string Label, int? Percent)> bars)
    {
        const int width = 400;
        var svg = new StringBuilder();
        svg.Append("<svg role=\"img\" width=\"").Append(width + 260).Append("\" height=\"").Append(bars.Count * 22 + 4).Append("\" xmlns=\"http://www.w3.org/2000/svg\">");
        for (var i = 0; i < bars.Count; i++)
        {
            var y = i * 22 + 2;
            svg.Append("<text x=\"0\" y=\"").Append(y + 14).Append("\" font-size=\"12\">").Append(E(bars[i].Label)).Append("</text>");
            if (bars[i].Percent is not { } percent)
            {
                svg.Append("<text x=\"226\" y=\"").Append(y + 14).Append("\" font-size=\"12\" font-style=\"italic\">")
                    .Append(Suppressed).Append("</text>");
                continue;
            }

            svg.Append("<rect x=\"220\" y=\"").Append(y).Append("\" height=\"18\" width=\"").Append(percent * width / 100).Append("\" fill=\"#3a6ea5\"/>")
                .Append("<text x=\"").Append(226 + (percent * width / 100)).Append("\" y=\"").Append(y + 14).Append("\" font-size=\"12\">").Append(percent).Append(" %</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static string Fte(double value) => value.ToString("0.0", CultureInfo.InvariantCulture).Replace('.', ',');

    /// <summary>Escapes markup only; umlauts stay readable in the source of the report.</summary>
    private static string E(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);
}
