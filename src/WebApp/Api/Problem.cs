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
        catch (CaseProblem problem)
        {
            return From(problem.ResponseStatusCode, problem.Type, problem.Title, problem.Detail, problem.Errors?.AdditionalData);
        }
        catch (NetworkProblem problem)
        {
            var refusal = From(problem.ResponseStatusCode, problem.Type, problem.Title, problem.Detail, problem.Errors?.AdditionalData);
            return refusal.Status == 409 ? refusal with { Guidance = NetworkConflicts.Guidance(problem.Title, problem.Detail) ?? refusal.Guidance } : refusal;
        }
        catch (ReportingProblem problem)
        {
            return From(problem.ResponseStatusCode, problem.Type, problem.Title, problem.Detail, problem.Errors?.AdditionalData) with { Detail = problem.Detail };
        }
        catch (StateProblem problem)
        {
            return From(problem.ResponseStatusCode, problem.Type, problem.Title, problem.Detail, problem.Errors?.AdditionalData) with { Detail = problem.Detail };
        }
        catch (ApiException exception) when (exception.ResponseStatusCode is >= 400 and < 500)
        {
            return From(exception.ResponseStatusCode, null, null, null, null);
        }
    }

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
            _ => "Die Eingabe wurde nicht angenommen.",
        };
        return new Problem(status, string.IsNullOrWhiteSpace(title) ? "Nicht möglich" : title, guidance, fields) { Code = code };
    }

    /// <summary>The precondition code of a 409 refusal (e.g. <c>possible-duplicate</c>); null for other problems.</summary>
    public string? Code { get; init; }

    /// <summary>The API's own explanation (reporting and state APIs, whose refusals are German); null elsewhere.</summary>
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

/// <summary>What a conflict of the NetworkService (named by its German title) asks people to do; else its detail.</summary>
public static class NetworkConflicts
{
    public static string? Guidance(string? title, string? detail) => title switch
    {
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
        _ => string.IsNullOrWhiteSpace(detail) ? null : detail,
    };
}
