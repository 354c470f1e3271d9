using System.Text.Json;
using System.Text.Json.Nodes;
using NJsonSchema;

namespace Kim.ReportingService.State;

/// <summary>A rule a submission breaks: where (JSON pointer) and why.</summary>
public sealed record Violation(string Pointer, string Reason);

/// <summary>
/// Validates a submission against the published JSON Schema (<c>submission.schema.json</c>, served at
/// <c>/api/state/schema</c>) and against the rules a schema cannot say (answers that contradict each other).
/// Returns every violation, not the first.
/// </summary>
public sealed class SubmissionValidator
{
    private static readonly Lazy<string> SchemaText = new(() =>
    {
        using var stream = typeof(SubmissionValidator).Assembly.GetManifestResourceStream("submission.schema.json")
            ?? throw new InvalidOperationException("The submission schema is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private readonly JsonSchema schema = JsonSchema.FromJsonAsync(SchemaText.Value).GetAwaiter().GetResult();

    /// <summary>How submissions and answers are parsed: shallow, and a property named twice is an error, not "the last one wins".</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16, AllowDuplicateProperties = false };

    public static string Schema => SchemaText.Value;

    public IReadOnlyList<Violation> Validate(string json, out JsonNode? document)
    {
        document = null;
        try
        {
            document = JsonNode.Parse(json, documentOptions: DocumentOptions);
        }
        catch (JsonException exception)
        {
            return [new Violation("", $"Kein JSON oder eine Angabe doppelt: {exception.Message}")];
        }

        if (document is not JsonObject)
        {
            return [new Violation("", "Eine Meldung ist ein JSON-Objekt.")];
        }

        if (NumberViolations(document).ToList() is { Count: > 0 } numbers)
        {
            return numbers;
        }

        var violations = schema.Validate(json).SelectMany(Flatten)
            .Select(e => new Violation(Pointer(e.Path), Describe(e)))
            .Distinct()
            .ToList();
        if (violations.Count == 0)
        {
            violations.AddRange(Consistency(document));
        }

        return violations;
    }

    /// <summary>
    /// Numbers no answer can hold: an integer beyond 64 bits (2^63 and more) or a number beyond double precision. The schema
    /// check would fail on them instead of refusing them.
    /// </summary>
    public static IEnumerable<Violation> NumberViolations(JsonNode? node, string pointer = "")
    {
        switch (node)
        {
            case JsonObject o:
                return o.SelectMany(p => NumberViolations(p.Value, $"{pointer}/{p.Key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}"));
            case JsonArray a:
                return a.SelectMany((item, i) => NumberViolations(item, $"{pointer}/{i}"));
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                var text = v.ToJsonString();
                var fits = text.AsSpan().IndexOfAny('.', 'e', 'E') < 0
                    ? long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _)
                    : v.TryGetValue<double>(out var number) && double.IsFinite(number);
                return fits ? [] : [new Violation(pointer, "Zahl außerhalb des zulässigen Bereichs.")];
            default:
                return [];
        }
    }

    /// <summary>Rules across answers.</summary>
    private static IEnumerable<Violation> Consistency(JsonNode document)
    {
        var kind = document["municipality"]?["kind"]?.GetValue<string>();
        var memberTowns = document["caseManagement"]?["forwardedToMemberTowns"]?.GetValue<string>();
        if (kind == "IndependentCity" && memberTowns is not null && memberTowns != "NotApplicable")
        {
            yield return new Violation("/caseManagement/forwardedToMemberTowns", "Eine kreisfreie Stadt hat keine kreisangehörigen Kommunen: NotApplicable oder null.");
        }

        if (kind == "District" && memberTowns == "NotApplicable")
        {
            yield return new Violation("/caseManagement/forwardedToMemberTowns", "A district has member towns: Yes, No, Planned or null.");
        }

        var groups = document["caseBasis"]?["workingGroups"]?.GetValue<int?>();
        var mandated = document["caseBasis"]?["workingGroupsWithWrittenMandate"]?.GetValue<int?>();
        if (groups is { } all && mandated is { } withMandate && withMandate > all)
        {
            yield return new Violation("/caseBasis/workingGroupsWithWrittenMandate", "Mehr Arbeitsgruppen mit Mandat als Arbeitsgruppen.");
        }

        if (document["projectOrganisation"]?["steeringGroup"]?.GetValue<string>() is "None" or "Planned"
            && document["projectOrganisation"]?["steeringGroupMeetings"]?.GetValue<int?>() is > 0)
        {
            yield return new Violation("/projectOrganisation/steeringGroupMeetings", "Sitzungen einer Lenkungsgruppe, die nicht eingerichtet ist.");
        }

        var staffing = document["staffing"]?.AsArray() ?? [];
        for (var i = 0; i < staffing.Count; i++)
        {
            var allocated = staffing[i]?["allocatedFte"]?.GetValue<double>() ?? 0;
            var requested = staffing[i]?["requestedFte"]?.GetValue<double>() ?? 0;
            var filled = staffing[i]?["filledFte"]?.GetValue<double>() ?? 0;
            if (requested > allocated)
            {
                yield return new Violation($"/staffing/{i}/requestedFte", "Mehr Stellen abgerufen als zugewiesen.");
            }

            if (filled > requested)
            {
                yield return new Violation($"/staffing/{i}/filledFte", "Mehr Stellen besetzt als abgerufen.");
            }
        }
    }

    private static IEnumerable<NJsonSchema.Validation.ValidationError> Flatten(NJsonSchema.Validation.ValidationError error) =>
        error is NJsonSchema.Validation.ChildSchemaValidationError child
            ? child.Errors.SelectMany(e => e.Value).SelectMany(Flatten).DefaultIfEmpty(error)
            : [error];

    /// <summary>NJsonSchema paths (<c>#/staffing[0].role</c>) as JSON pointers (<c>/staffing/0/role</c>).</summary>
    private static string Pointer(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "#")
        {
            return "";
        }

        var body = path.TrimStart('#').TrimStart('/').Replace("[", ".", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal);
        return "/" + string.Join('/', body.Split('.', StringSplitOptions.RemoveEmptyEntries));
    }

    private static string Describe(NJsonSchema.Validation.ValidationError error) => error.Kind switch
    {
        NJsonSchema.Validation.ValidationErrorKind.PropertyRequired => $"Pflichtangabe '{error.Property}' fehlt.",
        NJsonSchema.Validation.ValidationErrorKind.NoAdditionalPropertiesAllowed => $"Unbekannte Angabe '{error.Property}'.",
        NJsonSchema.Validation.ValidationErrorKind.NotInEnumeration => "Keiner der erlaubten Werte.",
        _ => error.Kind.ToString(),
    };
}
