using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using CaseProblem = Kim.WebApp.Clients.CaseService.Models.HttpValidationProblemDetails;
using NetworkProblem = Kim.WebApp.Clients.Network.Models.HttpValidationProblemDetails;
using ReportingProblem = Kim.WebApp.Clients.Reporting.Models.HttpValidationProblemDetails;
using StateProblem = Kim.WebApp.Clients.State.Models.HttpValidationProblemDetails;

namespace Kim.WebApp.Api;

/// <summary>
/// A refusal of an API (problem details), as people read it: a German title, what to do next, and the message of each
/// field that was refused (keyed by the API's field name).
/// </summary>
public sealed record Problem(int Status, string Title, string Guidance, IReadOnlyDictionary<string, string> Fields)
{
    public const string PreconditionPrefix = "urn:kim:problem:precondition:";

    /// <summary>Runs an API call; a refusal becomes a <see cref="Problem"/>, success is null.</summary>
    public static async Task<Problem?> Of(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (ApiException exception) when (Details(exception) is { } details)
        {
            var refusal = From(exception.ResponseStatusCode, details.Type, details.Title, details.Detail, details.Errors);
            // The CaseService names its preconditions by code; the other services explain themselves in German.
            return exception is CaseProblem ? refusal : Refusals.Explain(refusal with { Detail = details.Detail });
        }
        catch (ApiException exception) when (exception.ResponseStatusCode is >= 400 and < 500)
        {
            return From(exception.ResponseStatusCode, null, null, null, null);
        }
    }

    /// <summary>
    /// A refusal read from a response the front end passes on without a generated client (a file sent unchanged): the
    /// service's problem details when it sent them, otherwise its status alone; with the body for a service's own
    /// extensions (e.g. the violations of an imported submission), undefined when it was no JSON.
    /// </summary>
    public static async Task<(Problem Problem, JsonElement Body)> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        var status = (int)response.StatusCode;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is not ("application/problem+json" or "application/json"))
        {
            return (From(status, null, null, null, null), default);
        }

        try
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            if (body.ValueKind != JsonValueKind.Object)
            {
                return (From(status, null, null, null, null), default);
            }

            var errors = body.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object
                ? e.EnumerateObject().ToDictionary(p => p.Name, p => (object)(p.Value.ValueKind == JsonValueKind.Array
                    ? p.Value.EnumerateArray().Select(m => m.ToString()).ToList()
                    : [p.Value.ToString()]))
                : null;
            var detail = Text(body, "detail");
            var refusal = From(status, Text(body, "type"), Text(body, "title"), detail, errors);
            return (Refusals.Explain(refusal with { Detail = detail }), body);
        }
        catch (JsonException)
        {
            return (From(status, null, null, null, null), default);
        }
    }

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private sealed record ProblemDetails(string? Type, string? Title, string? Detail, IDictionary<string, object>? Errors);

    /// <summary>The problem details of every generated client, read the same way.</summary>
    private static ProblemDetails? Details(ApiException exception) => exception switch
    {
        CaseProblem p => new(p.Type, p.Title, p.Detail, p.Errors?.AdditionalData),
        NetworkProblem p => new(p.Type, p.Title, p.Detail, p.Errors?.AdditionalData),
        ReportingProblem p => new(p.Type, p.Title, p.Detail, p.Errors?.AdditionalData),
        StateProblem p => new(p.Type, p.Title, p.Detail, p.Errors?.AdditionalData),
        _ => null,
    };

    public static Problem From(int status, string? type, string? title, string? detail, IDictionary<string, object>? errors)
    {
        var fields = (errors ?? new Dictionary<string, object>()).ToDictionary(
            error => error.Key,
            error => string.Join(" ", Messages(error.Value)),
            StringComparer.OrdinalIgnoreCase);
        var code = type is not null && type.StartsWith(PreconditionPrefix, StringComparison.Ordinal) ? type[PreconditionPrefix.Length..] : null;
        var guidance = code is not null ? Preconditions.Guidance(code, detail) : status switch
        {
            400 when fields.Count > 0 => "Bitte prüfen Sie die markierten Eingaben.",
            403 => "Dafür fehlt Ihnen die Berechtigung. Wenden Sie sich an die Koordination.",
            404 => "Der Datensatz wurde nicht gefunden. Er wurde vielleicht gelöscht, oder Sie haben keinen Zugriff darauf.",
            409 => "Die Aktion passt nicht zum aktuellen Stand. Laden Sie die Seite neu und prüfen Sie den Stand.",
            412 => "Jemand hat den Datensatz inzwischen geändert. Laden Sie die Seite neu; Ihre Eingaben stehen unten noch im Formular.",
            429 => "Zu viele Anfragen. Bitte warten Sie einen Moment und versuchen Sie es erneut.",
            >= 500 => "Der Dienst hat die Anfrage nicht bearbeitet. Bitte versuchen Sie es später erneut.",
            _ => "Die Eingabe wurde nicht angenommen.",
        };
        return new Problem(status, string.IsNullOrWhiteSpace(title) ? "Nicht möglich" : title, guidance, fields) { Code = code };
    }

    /// <summary>The precondition code of a 409 refusal (e.g. <c>possible-duplicate</c>); null for other problems.</summary>
    public string? Code { get; init; }

    /// <summary>The API's own explanation (the NetworkService, reporting and state APIs, whose refusals are German); null for the CaseService.</summary>
    public string? Detail { get; init; }

    /// <summary>The message of a field, if it was refused (the API names fields in camel case; forms use any case).</summary>
    public string? Field(string name) => Fields.TryGetValue(name, out var message) ? message : null;

    private static IEnumerable<string> Messages(object value) => value switch
    {
        string text => [text],
        UntypedArray array => array.GetValue().SelectMany(Messages),
        UntypedString text => text.GetValue() is { } s ? [s] : [],
        IEnumerable<object> list => list.SelectMany(Messages),
        _ => [value.ToString() ?? ""],
    };
}

/// <summary>What each precondition code of the CaseService asks people to do, in plain German.</summary>
public static class Preconditions
{
    public static string Guidance(string code, string? detail = null) => code switch
    {
        "indication-missing" => "Entscheiden Sie zuerst die Indikation: Zielgruppe, Bereitschaft zur Mitarbeit und Verständigung.",
        "indication-negative" => "Nicht alle Kriterien der Indikation sind erfüllt. Beenden Sie die Erstberatung als „nicht indiziert“.",
        "consent-missing" => "Es fehlt eine erteilte, gültige Einwilligung der Person für diesen Zweck. Erfassen Sie die Einwilligung unter „Einwilligungen“.",
        "assessment-missing" => "Erfassen Sie mindestens einen Lebensbereich vollständig: Situation, Ressourcen, Bedarf und die Sicht der Person.",
        "agreed-goal-missing" => "Vereinbaren Sie mindestens ein Ziel mit der Person.",
        "client-agreement-missing" => "Ein Ziel wird nur mit Zustimmung der Person aufgenommen. Bestätigen Sie die Zustimmung.",
        "plan-item-missing" => "Nehmen Sie mindestens eine Leistung in den Hilfeplan auf, aus einer Dienstleistungskette oder einzeln.",
        "referral-missing" => "Leiten Sie mindestens eine Leistung an einen Leistungserbringer weiter, die nicht abgelehnt oder zurückgezogen ist.",
        "goal-evaluation-missing" => "Bewerten Sie jedes vereinbarte Ziel, bevor Sie den Fall abschließen.",
        "phase-skipped" => "Die Phasen werden der Reihe nach durchlaufen; keine wird übersprungen.",
        "wrong-phase" => "Diese Aktion ist in der aktuellen Phase noch nicht möglich.",
        "case-closed" => "Der Fall ist abgeschlossen. Öffnen Sie ihn mit Begründung wieder, um weiterzuarbeiten.",
        "case-not-indicated" => "Die Erstberatung endete ohne Indikation; dieser Fall wird nicht fortgeführt.",
        "case-not-closed" => "Nur ein abgeschlossener Fall kann wieder geöffnet werden.",
        "first-phase" => "Der Fall ist in seiner ersten Phase; es gibt keine vorherige.",
        "intake-over" => "Die Indikation wird in der Erstberatung entschieden; der Fall hat sie verlassen.",
        "coordinator-missing" => "Eine Fallbesprechung findet im CM-Team mit der Koordination statt. Bestätigen Sie deren Teilnahme.",
        "case-anonymised" => "Der Fall wurde nach Ablauf der Aufbewahrungsfrist anonymisiert.",
        "possible-duplicate" => "Es gibt bereits eine Person mit gleichem Namen und Geburtsdatum. Prüfen Sie, ob es dieselbe Person ist; ist es eine andere, bestätigen Sie das unten und legen Sie den Fall erneut an.",
        "follow-up-done" => "Diese Wiedervorlage ist bereits erledigt.",
        "not-responsible" => "Nur die zuständige Fachkraft oder die Koordination übergibt einen Fall oder bestimmt Vertretungen.",
        "already-responsible" => "Die genannte Fachkraft ist für diesen Fall schon zuständig.",
        "deputy-is-responsible" => "Die zuständige Fachkraft kann nicht zugleich ihre eigene Vertretung sein.",
        _ => string.IsNullOrWhiteSpace(detail) ? "Eine Voraussetzung fehlt." : detail,
    };
}

/// <summary>
/// What a refusal of the NetworkService, the reporting or the state API (named by its German title) asks people to do:
/// the one table of our guidance for the services that explain themselves; an unnamed conflict gives the service's detail.
/// </summary>
public static class Refusals
{
    public static Problem Explain(Problem problem) =>
        Guidance(problem.Title, problem.Detail) is { } guidance ? problem with { Guidance = guidance }
        : problem.Status == 409 && !string.IsNullOrWhiteSpace(problem.Detail) ? problem with { Guidance = problem.Detail }
        : problem;

    public static string? Guidance(string? title, string? detail) => title switch
    {
        // NetworkService: working groups, steering group
        "Arbeitsgruppe ohne Mandat" => "Die Lenkungsgruppe hat den Arbeitsauftrag noch nicht beschlossen. Legen Sie ihn bei der Arbeitsgruppe zur Beschlussfassung vor; erst mit dem Beschluss werden Mitglieder, Sitzungen, Ergebnisse und Zielsysteme erfasst.",
        "Kein generatives Thema" => "Die Arbeitsgruppe hat kein generatives Thema. Ein Zielsystem beruht auf einem Thema aus Fallrekonstruktionen; die Lenkungsgruppe weist es der Arbeitsgruppe zu.",
        "Zu wenige Fallrekonstruktionen" => $"{detail} Reichen Sie weitere Fallrekonstruktionen mit dem Schlagwort des Themas ein.",
        "Arbeitsgruppe bereits vorhanden" => "Eine Arbeitsgruppe mit diesem Namen gibt es bereits. Wählen Sie einen anderen Namen.",
        "Antrag nicht offen" => "Über diesen Antrag ist bereits entschieden, oder er ist gerade im Umlaufverfahren. Laden Sie die Seite neu und prüfen Sie den Stand.",
        "Sitzung nicht geplant" => "Die Sitzung ist bereits abgehalten oder abgesagt. Anwesenheit, Abhalten und Absage gehören zu einer geplanten Sitzung.",
        "Sitzung nicht abgehalten" => "Erfassen Sie die Sitzung zuerst als abgehalten; erst dann werden Abstimmungen und das Protokoll erfasst.",
        "Kein Beschluss" => "Die Umsetzung wird nur für angenommene Beschlüsse erfasst.",
        "Kein laufendes Umlaufverfahren" => "Für diesen Antrag läuft kein Umlaufverfahren (mehr). Laden Sie die Seite neu und prüfen Sie den Stand.",
        "Lenkungsgruppe nicht beschlussfähig" => $"{detail} Über den Antrag wird in einer späteren, beschlussfähigen Sitzung abgestimmt.",
        // ReportingService: the municipal submission to the state
        "Vier-Augen-Prinzip" => "Sie haben die Antworten zuletzt geändert und können sie deshalb nicht selbst freigeben. Eine zweite Koordinatorin oder ein zweiter Koordinator gibt die Meldung frei.",
        "Meldung unvollständig" => "Die Meldung verletzt Regeln der Erhebung (siehe unten). Korrigieren Sie die Angaben und geben Sie sie dann frei.",
        "Keine Meldung im Entwurf" => "Nur ein Entwurf kann freigegeben werden. Speichern Sie zuerst die Angaben.",
        "Meldung nicht freigegeben" => "Nur eine freigegebene Meldung wird an das Land übermittelt. Lassen Sie sie zuerst von einer zweiten Person freigeben.",
        "Meldung bereits übermittelt" => "Die Meldung ist beim Land. Eine Korrektur ist dort ein neuer Import.",
        _ => null,
    };
}
