using System.Text;

namespace Kim.ServiceDefaults;

/// <summary>
/// Semicolon-separated CSV as spreadsheet programs in Germany open it (UTF-8 with byte-order mark, CRLF), safe against
/// formula injection: a field beginning with = + - @ tab, CR or LF, also after leading spaces, is written with a leading
/// apostrophe, so a spreadsheet shows it as text instead of evaluating it. The one CSV writer of the services.
/// </summary>
public static class Csv
{
    /// <summary>Appends one line of fields; a missing value is an empty field.</summary>
    public static StringBuilder Line(StringBuilder csv, params IEnumerable<string?> fields)
    {
        csv.AppendJoin(';', fields.Select(Field));
        return csv.Append("\r\n");
    }

    /// <summary>One field: neutralised when it could start a formula, quoted when it holds a separator, quote or line break.</summary>
    public static string Field(string? value)
    {
        value ??= "";
        if (value.TrimStart() is ['=' or '+' or '-' or '@', ..] || value is ['\t' or '\r' or '\n', ..])
        {
            value = "'" + value;
        }

        return value.IndexOfAny([';', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>The file's bytes: UTF-8 with byte-order mark, so spreadsheet software reads the umlauts.</summary>
    public static byte[] Encode(StringBuilder csv) => Encode(csv.ToString());

    public static byte[] Encode(string csv) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv)];
}
