using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Kim.ReportingService.State;

/// <summary>Section <c>Reporting:State</c>: which municipalities report to the ministry, and for which periods.</summary>
public sealed class StateOptions
{
    public const string SectionName = $"{ReportingOptions.SectionName}:State";

    /// <summary>The municipalities' keys (AGS, five digits); not set: NRW's Kreise and kreisfreie Städte (<see cref="Survey.Nrw"/>).</summary>
    public string[]? Municipalities { get; set; }

    /// <summary>The first survey year.</summary>
    public int FirstYear { get; set; } = 2020;

    /// <summary>The last survey year; not set: the current year.</summary>
    public int? LastYear { get; set; }
}

/// <summary>The survey: the municipalities that submit and the periods they submit for (a year, or its half <c>YYYY-H1</c>).</summary>
public sealed partial class Survey(IOptions<StateOptions> options, TimeProvider clock)
{
    /// <summary>NRW's 31 Kreise (the Städteregion Aachen among them) and 22 kreisfreie Städte, by Amtlicher Gemeindeschlüssel.</summary>
    public static readonly IReadOnlyDictionary<string, string> Nrw = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["05111"] = "Düsseldorf",
        ["05112"] = "Duisburg",
        ["05113"] = "Essen",
        ["05114"] = "Krefeld",
        ["05116"] = "Mönchengladbach",
        ["05117"] = "Mülheim an der Ruhr",
        ["05119"] = "Oberhausen",
        ["05120"] = "Remscheid",
        ["05122"] = "Solingen",
        ["05124"] = "Wuppertal",
        ["05154"] = "Kreis Kleve",
        ["05158"] = "Kreis Mettmann",
        ["05162"] = "Rhein-Kreis Neuss",
        ["05166"] = "Kreis Viersen",
        ["05170"] = "Kreis Wesel",
        ["05314"] = "Bonn",
        ["05315"] = "Köln",
        ["05316"] = "Leverkusen",
        ["05334"] = "Städteregion Aachen",
        ["05358"] = "Kreis Düren",
        ["05362"] = "Rhein-Erft-Kreis",
        ["05366"] = "Kreis Euskirchen",
        ["05370"] = "Kreis Heinsberg",
        ["05374"] = "Oberbergischer Kreis",
        ["05378"] = "Rheinisch-Bergischer Kreis",
        ["05382"] = "Rhein-Sieg-Kreis",
        ["05512"] = "Bottrop",
        ["05513"] = "Gelsenkirchen",
        ["05515"] = "Münster",
        ["05554"] = "Kreis Borken",
        ["05558"] = "Kreis Coesfeld",
        ["05562"] = "Kreis Recklinghausen",
        ["05566"] = "Kreis Steinfurt",
        ["05570"] = "Kreis Warendorf",
        ["05711"] = "Bielefeld",
        ["05754"] = "Kreis Gütersloh",
        ["05758"] = "Kreis Herford",
        ["05762"] = "Kreis Höxter",
        ["05766"] = "Kreis Lippe",
        ["05770"] = "Kreis Minden-Lübbecke",
        ["05774"] = "Kreis Paderborn",
        ["05911"] = "Bochum",
        ["05913"] = "Dortmund",
        ["05914"] = "Hagen",
        ["05915"] = "Hamm",
        ["05916"] = "Herne",
        ["05954"] = "Ennepe-Ruhr-Kreis",
        ["05958"] = "Hochsauerlandkreis",
        ["05962"] = "Märkischer Kreis",
        ["05966"] = "Kreis Olpe",
        ["05970"] = "Kreis Siegen-Wittgenstein",
        ["05974"] = "Kreis Soest",
        ["05978"] = "Kreis Unna",
    };

    private readonly HashSet<string> municipalities = [.. options.Value.Municipalities is { Length: > 0 } configured ? configured : Nrw.Keys];

    public bool IsMunicipality(string id) => municipalities.Contains(id);

    /// <summary>A period's whole value: a year or its half, ASCII digits only, nothing before or after (no trailing line break).</summary>
    public static bool IsPeriodFormat(string? period) => period is not null && PeriodFormat().IsMatch(period);

    /// <summary>A year only (the municipality's own submission), as a whole value.</summary>
    public static bool IsYearFormat(string? period) => period is { Length: 4 } && IsPeriodFormat(period);

    public bool IsPeriod(string period) =>
        IsPeriodFormat(period) && int.TryParse(period.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year >= options.Value.FirstYear && year <= LastYear;

    [GeneratedRegex(@"\A[0-9]{4}(-H[12])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex PeriodFormat();

    /// <summary>The refusals of a submission's municipality and period, as violations of the document.</summary>
    public IEnumerable<Violation> Violations(string? period, string? municipalityId)
    {
        if (period is not null && !IsPeriod(period))
        {
            yield return new Violation("/period", $"Kein Erhebungszeitraum: erhoben werden die Jahre {options.Value.FirstYear} bis {LastYear}.");
        }

        if (municipalityId is not null && !IsMunicipality(municipalityId))
        {
            yield return new Violation("/municipality/id", "Keine meldende Kommune: erwartet wird der Gemeindeschlüssel eines Kreises oder einer kreisfreien Stadt der Erhebung.");
        }
    }

    private int LastYear => options.Value.LastYear ?? clock.GetUtcNow().Year;
}
