using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kim.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Kim.CaseService.Import;

/// <summary>One error of an import file: the row as a spreadsheet numbers it (the header is row 1), the column, why.</summary>
public sealed record ImportError(int Row, string Column, string Message);

/// <summary>
/// An uploaded import file (docs/import.md): <c>text/csv</c>, UTF-8 with or without BOM, at most
/// <see cref="MaxBytes"/> bytes and <see cref="MaxRows"/> data rows, semicolon-separated, the first row the German
/// column headers. Fields may be quoted with <c>"</c> (a quote inside doubled), which allows semicolons and line
/// breaks inside a field.
/// </summary>
public sealed class ImportFile
{
    /// <summary>The gateway's limit for a request body (Gateway:MaxRequestBodyBytes, 1 MB) too: a larger file would not arrive.</summary>
    public const int MaxBytes = 1024 * 1024;

    public const int MaxRows = 2000;

    /// <summary>How many errors an answer lists at most; the count says how many there were.</summary>
    public const int MaxListedErrors = 500;

    private ImportFile(string hash, IReadOnlyList<string> headers, IReadOnlyList<(int Row, string[] Fields)> rows)
    {
        Hash = hash;
        Headers = headers;
        Rows = rows;
    }

    /// <summary>SHA-256 of the file's bytes, lower-case hex: what the audit log keeps of the file.</summary>
    public string Hash { get; }

    public IReadOnlyList<string> Headers { get; }

    /// <summary>The data rows that are not empty, with their row number.</summary>
    public IReadOnlyList<(int Row, string[] Fields)> Rows { get; }

    /// <summary>Reads the request body as an import file; a problem (415, 413, 400) when it is none.</summary>
    public static async Task<(ImportFile? File, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !string.Equals(mediaType.MediaType.Value, "text/csv", StringComparison.OrdinalIgnoreCase)
            || (mediaType.Charset.HasValue && !string.Equals(mediaType.Charset.Value, "utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            return (null, TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Falsches Dateiformat",
                detail: "Die Datenübernahme erwartet eine CSV-Datei (Content-Type text/csv, UTF-8).",
                type: ProblemTypes.UnsupportedMediaType));
        }

        if (request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return (null, TooLarge());
            }

            buffer.Write(chunk, 0, read);
        }

        var bytes = buffer.ToArray();
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return (null, Invalid([new ImportError(1, "", "Die Datei ist nicht UTF-8-kodiert. Speichern Sie sie als „CSV UTF-8“.")]));
        }

        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var records = Parse(text, out var unterminatedRow);
        if (unterminatedRow is { } row)
        {
            return (null, Invalid([new ImportError(row, "", "Ein Anführungszeichen wird nicht geschlossen.")]));
        }

        if (records.Count == 0 || records[0].Fields.All(string.IsNullOrWhiteSpace))
        {
            return (null, Invalid([new ImportError(1, "", "Die Datei ist leer; die erste Zeile muss die Spaltenüberschriften enthalten.")]));
        }

        var rows = records.Skip(1).Where(r => r.Fields.Any(f => !string.IsNullOrWhiteSpace(f))).ToList();
        if (rows.Count == 0)
        {
            return (null, Invalid([new ImportError(2, "", "Die Datei enthält keine Datenzeilen.")]));
        }

        if (rows.Count > MaxRows)
        {
            return (null, Invalid([new ImportError(rows[MaxRows].Row, "", $"Eine Datei darf höchstens {MaxRows} Datenzeilen enthalten; teilen Sie sie auf.")]));
        }

        return (new ImportFile(hash, [.. records[0].Fields.Select(h => h.Trim())], rows), null);
    }

    /// <summary>
    /// Checks the header row against <paramref name="columns"/> (exact German headers, case and surrounding spaces do
    /// not matter): every required one present, none unknown, none twice. Answers the column positions.
    /// </summary>
    public Dictionary<string, int> MapColumns(IReadOnlyList<ImportColumn> columns, List<ImportError> errors)
    {
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Headers.Count; i++)
        {
            var header = Headers[i];
            if (header.Length == 0 && Rows.All(r => i >= r.Fields.Length || string.IsNullOrWhiteSpace(r.Fields[i])))
            {
                continue;
            }

            var column = columns.FirstOrDefault(c => string.Equals(c.Header, header, StringComparison.OrdinalIgnoreCase));
            if (column is null)
            {
                errors.Add(new ImportError(1, header, $"Unbekannte Spalte „{header}“. Erlaubt: {string.Join(", ", columns.Select(c => c.Header))}."));
            }
            else if (!positions.TryAdd(column.Header, i))
            {
                errors.Add(new ImportError(1, column.Header, "Die Spalte kommt zweimal vor."));
            }
        }

        foreach (var missing in columns.Where(c => c.Required && !positions.ContainsKey(c.Header)))
        {
            errors.Add(new ImportError(1, missing.Header, "Pflichtspalte fehlt."));
        }

        return positions;
    }

    /// <summary>400: the file is not taken over; every error with its row and column, in German.</summary>
    public static ProblemHttpResult Invalid(IReadOnlyList<ImportError> errors)
    {
        var ordered = errors.OrderBy(e => e.Row).ToList();
        var listed = ordered.Take(MaxListedErrors).ToList();
        var lines = listed.Select(e => e.Column.Length == 0
            ? $"Zeile {e.Row}: {e.Message}"
            : $"Zeile {e.Row}, Spalte „{e.Column}“: {e.Message}");
        var more = ordered.Count > listed.Count ? $"\n… und {ordered.Count - listed.Count} weitere Fehler." : "";
        return TypedResults.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "Datei nicht übernommen",
            detail: $"Die Datei enthält {ordered.Count} Fehler; es wurde nichts übernommen.\n{string.Join("\n", lines)}{more}",
            type: ProblemTypes.Validation,
            extensions: new Dictionary<string, object?>
            {
                ["errorCount"] = ordered.Count,
                ["errors"] = listed.Select(e => new Dictionary<string, object?> { ["row"] = e.Row, ["column"] = e.Column, ["message"] = e.Message }).ToList(),
            });
    }

    private static ProblemHttpResult TooLarge() => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Datei zu groß",
        detail: $"Eine Datei der Datenübernahme darf höchstens {MaxBytes / (1024 * 1024)} MB groß sein; teilen Sie sie auf.",
        type: ProblemTypes.PayloadTooLarge);

    /// <summary>Splits the text into records of fields; a record's number is its position (the header is 1).</summary>
    private static List<(int Row, string[] Fields)> Parse(string text, out int? unterminatedRow)
    {
        var records = new List<(int Row, string[] Fields)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var row = 1;
        unterminatedRow = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
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

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ';':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\r' or '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    records.Add((row++, [.. fields]));
                    fields.Clear();
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }

        if (quoted)
        {
            unterminatedRow = row;
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add((row, [.. fields]));
        }

        return records;
    }
}

/// <summary>A column of an import file: its German header and whether the file must have it.</summary>
public sealed record ImportColumn(string Header, bool Required = false);

/// <summary>Reads the fields of one data row by column, collecting an error for every field that is not valid.</summary>
public sealed class ImportRow(int row, string[] fields, IReadOnlyDictionary<string, int> positions, List<ImportError> errors, DateTime nowUtc)
{
    private static readonly TimeZoneInfo Berlin = Kim.Contracts.LocalDay.Zone;

    private static readonly string[] DateFormats = ["dd.MM.yyyy", "d.M.yyyy", "yyyy-MM-dd"];

    private static readonly string[] DateTimeFormats =
    [
        "dd.MM.yyyy HH:mm", "d.M.yyyy H:mm", "dd.MM.yyyy HH:mm:ss", "d.M.yyyy H:mm:ss",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss",
    ];

    /// <summary>The earliest date an import accepts (no case management before it).</summary>
    public static readonly DateOnly Earliest = new(2000, 1, 1);

    public int Row { get; } = row;

    public int ErrorCount => errors.Count(e => e.Row == Row);

    public void Error(string column, string message) => errors.Add(new ImportError(Row, column, message));

    /// <summary>The trimmed value; null when the column is absent or the field empty.</summary>
    public string? Raw(string column) =>
        positions.TryGetValue(column, out var i) && i < fields.Length && !string.IsNullOrWhiteSpace(fields[i]) ? fields[i].Trim() : null;

    public string? Text(string column, bool required = false, int maxLength = 200)
    {
        var value = Raw(column);
        if (value is null)
        {
            if (required)
            {
                Error(column, "Pflichtangabe.");
            }

            return null;
        }

        if (value.Length > maxLength)
        {
            Error(column, $"Höchstens {maxLength} Zeichen.");
            return null;
        }

        return value;
    }

    /// <summary>
    /// A point in time, <c>dd.MM.yyyy</c> or <c>yyyy-MM-dd</c>, optionally with a time (<c>HH:mm</c>, <c>HH:mm:ss</c>)
    /// in German local time; a date alone means 12:00 local time, so it stays the same calendar day in UTC. Answers UTC.
    /// </summary>
    public DateTime? Time(string column, bool required = false)
    {
        var value = Raw(column);
        if (value is null)
        {
            if (required)
            {
                Error(column, "Pflichtangabe.");
            }

            return null;
        }

        DateTime local;
        if (DateTime.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            local = day.AddHours(12);
        }
        else if (!DateTime.TryParseExact(value, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out local))
        {
            Error(column, $"„{value}“ ist kein Datum; erwartet TT.MM.JJJJ oder JJJJ-MM-TT, optional mit Uhrzeit HH:MM.");
            return null;
        }

        if (Berlin.IsInvalidTime(local))
        {
            Error(column, "Diese Uhrzeit gibt es wegen der Umstellung auf Sommerzeit nicht.");
            return null;
        }

        var utc = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Berlin);
        if (DateOnly.FromDateTime(local) < Earliest)
        {
            Error(column, $"Liegt vor dem {Earliest:dd.MM.yyyy}.");
            return null;
        }

        if (utc > nowUtc)
        {
            Error(column, "Darf nicht in der Zukunft liegen.");
            return null;
        }

        return utc;
    }

    /// <summary>A calendar date without time, <c>dd.MM.yyyy</c> or <c>yyyy-MM-dd</c>.</summary>
    public DateOnly? Date(string column, bool required = false)
    {
        var value = Raw(column);
        if (value is null)
        {
            if (required)
            {
                Error(column, "Pflichtangabe.");
            }

            return null;
        }

        if (DateOnly.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        Error(column, $"„{value}“ ist kein Datum; erwartet TT.MM.JJJJ oder JJJJ-MM-TT (ohne Uhrzeit).");
        return null;
    }

    /// <summary>A value of <typeparamref name="TEnum"/> by its name as documented (case does not matter).</summary>
    public TEnum? Choice<TEnum>(string column, bool required = false)
        where TEnum : struct, Enum
    {
        var value = Raw(column);
        if (value is null)
        {
            if (required)
            {
                Error(column, "Pflichtangabe.");
            }

            return null;
        }

        var match = Enum.GetNames<TEnum>().FirstOrDefault(n => string.Equals(n, value, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            Error(column, $"„{value}“ ist kein erlaubter Wert; erlaubt: {string.Join(", ", Enum.GetNames<TEnum>())}.");
            return null;
        }

        return Enum.Parse<TEnum>(match);
    }

    public int? Number(string column, int min, int max, bool required = false)
    {
        var value = Raw(column);
        if (value is null)
        {
            if (required)
            {
                Error(column, "Pflichtangabe.");
            }

            return null;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            Error(column, $"Eine ganze Zahl zwischen {min} und {max}.");
            return null;
        }

        return number;
    }

    public Guid? Id(string column, bool required = false)
    {
        var value = Raw(column);
        if (value is null)
        {
            if (required)
            {
                Error(column, "Pflichtangabe.");
            }

            return null;
        }

        if (!Guid.TryParse(value, out var id))
        {
            Error(column, $"„{value}“ ist keine Kennung (UUID) des Netzwerkregisters.");
            return null;
        }

        return id;
    }

    /// <summary><c>ja</c> or <c>nein</c>.</summary>
    public bool? YesNo(string column)
    {
        var value = Raw(column);
        if (value is null)
        {
            return null;
        }

        if (string.Equals(value, "ja", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.Equals(value, "nein", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Error(column, "„ja“ oder „nein“.");
        return null;
    }
}
