using System.Globalization;
using System.Text.Json.Nodes;
using Kim.WebApp.Api;
using Microsoft.Kiota.Abstractions.Serialization;
using ReportModels = Kim.WebApp.Clients.Reporting.Models;

namespace Kim.WebApp.Components.Pages.Submission;

/// <summary>
/// The submission's document (an open JSON object in the generated client) read as JSON: the answer and its origin
/// per path; and manual answers written back as the open object the API takes.
/// </summary>
public sealed class SubmissionDocument
{
    private readonly JsonObject document;

    public SubmissionDocument(ReportModels.JsonObject? document) =>
        this.document = ToJson(new UntypedObject((document?.AdditionalData ?? new Dictionary<string, object>())
            .ToDictionary(p => p.Key, p => p.Value as UntypedNode ?? new UntypedNull()))) as JsonObject ?? [];

    public string? MunicipalityName => document["municipality"]?["name"]?.ToString();

    public string? MunicipalityKind => document["municipality"]?["kind"]?.ToString();

    public JsonArray Staffing => document["staffing"] as JsonArray ?? [];

    /// <summary>The answer at a dotted path as text (enumeration name, <c>true</c>/<c>false</c>, digits); null for no answer.</summary>
    public string? Answer(string path)
    {
        JsonNode? node = document;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(part, out var next) ? next : null;
        }

        return node switch
        {
            JsonValue value when value.TryGetValue<bool>(out var flag) => flag ? "true" : "false",
            JsonValue value => value.ToString(),
            _ => null,
        };
    }

    /// <summary><c>LiveData</c>, <c>ManualAnswer</c>, or null when nobody has answered yet.</summary>
    public string? Origin(string path) => document["origins"]?[path]?.ToString();

    public bool IsLive(string path) => Origin(path) == "LiveData";

    /// <summary>The body of <c>PUT …/answers</c>: <c>{"answers": {"path": value}}</c>, an empty answer as null (no answer).</summary>
    public static ReportModels.JsonObject AnswersBody(IReadOnlyDictionary<string, UntypedNode> answers) => new()
    {
        AdditionalData = new Dictionary<string, object> { ["answers"] = new UntypedObject(answers.ToDictionary(a => a.Key, a => a.Value)) },
    };

    /// <summary>
    /// The API's field errors of a refused <c>PUT …/answers</c> (named <c>answers.&lt;path&gt;</c>) at the questions of the
    /// form, keyed by the question's path; the messages of fields the form does not show are returned apart.
    /// </summary>
    public static (Dictionary<string, string> AtQuestions, List<string> Elsewhere) FieldErrors(Problem problem, IEnumerable<Question> shown)
    {
        const string prefix = "answers.";
        var questions = shown.ToDictionary(q => q.Path, StringComparer.OrdinalIgnoreCase);
        var atQuestions = new Dictionary<string, string>(StringComparer.Ordinal);
        var elsewhere = new List<string>();
        foreach (var (field, message) in problem.Fields)
        {
            if (field.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && questions.TryGetValue(field[prefix.Length..], out var question))
            {
                atQuestions[question.Path] = message;
            }
            else
            {
                elsewhere.Add(message);
            }
        }

        return (atQuestions, elsewhere);
    }

    /// <summary>A posted answer as the survey's type: enumerations as text, yes/no as boolean, numbers and ratings as integers; null when it does not read.</summary>
    public static UntypedNode? Read(Question question, string? posted)
    {
        var text = posted?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return new UntypedNull();
        }

        return question.Kind switch
        {
            AnswerKind.YesNo => text switch
            {
                "true" => new UntypedBoolean(true),
                "false" => new UntypedBoolean(false),
                _ => null,
            },
            AnswerKind.Number or AnswerKind.Rating => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? new UntypedInteger(number) : null,
            _ => question.Values.Contains(text) ? new UntypedString(text) : null,
        };
    }

    private static JsonNode? ToJson(UntypedNode? node) => node switch
    {
        UntypedObject obj => new JsonObject(obj.GetValue().Select(p => KeyValuePair.Create(p.Key, ToJson(p.Value)))),
        UntypedArray array => new JsonArray([.. array.GetValue().Select(ToJson)]),
        UntypedString text => JsonValue.Create(text.GetValue()),
        UntypedBoolean flag => JsonValue.Create(flag.GetValue()),
        UntypedInteger number => JsonValue.Create(number.GetValue()),
        UntypedLong number => JsonValue.Create(number.GetValue()),
        UntypedDouble number => JsonValue.Create(number.GetValue()),
        UntypedFloat number => JsonValue.Create(number.GetValue()),
        UntypedDecimal number => JsonValue.Create(number.GetValue()),
        _ => null,
    };
}

/// <summary>The German texts of the municipal submission.</summary>
public static class SubmissionTexts
{
    public static string Status(ReportModels.SubmissionStatus? status) => status switch
    {
        ReportModels.SubmissionStatus.Draft => "Entwurf",
        ReportModels.SubmissionStatus.Approved => "freigegeben",
        ReportModels.SubmissionStatus.Submitted => "an das Land übermittelt",
        _ => "–",
    };

    /// <summary>What the state's ReportingService answered to the sending.</summary>
    public static string Receipt(int? status) => status switch
    {
        201 => "Das Land hat die Meldung angenommen und neu angelegt.",
        200 => "Das Land hat die Meldung angenommen; sie ersetzt die frühere Meldung dieses Zeitraums.",
        null => "Noch nicht übermittelt.",
        _ => $"Das Land hat die Meldung nicht angenommen (Antwort {status}).",
    };
}
