using System.Net.Http.Json;
using System.Text.Json;
using Kim.WebApp.Api;

namespace Kim.WebApp.Components.Pages.State;

/// <summary>A violation of an imported document: where (JSON pointer, empty for the document) and why.</summary>
public sealed record ImportViolation(string Pointer, string Reason);

/// <summary>
/// The outcome of an import: accepted (the municipality's id, the period, whether it replaced an earlier submission), or
/// refused, either by the file's own content (not JSON, too large) or by the state API with its problem and every violation.
/// </summary>
public sealed record ImportResult(bool Accepted, bool Replaced, string? MunicipalityId, string? Period, IReadOnlyList<ImportViolation> Violations, Problem? Refusal)
{
    public static ImportResult FileRefused(string reason) =>
        new(false, false, null, null, [new ImportViolation("", reason)], new Problem(400, "Meldung ungültig", "Prüfen Sie die Datei und wählen Sie sie erneut.", new Dictionary<string, string>()));
}

/// <summary>
/// Imports a submission file the ministry received by another way (e.g. e-mail) through the state API, passing the
/// document on unchanged: the API validates it against the published schema and answers every violation. Whether the
/// file is JSON at all is checked here, so that a refusal of the service (403, 5xx) is never mistaken for the file's.
/// </summary>
public sealed class StateImports(IHttpClientFactory clients)
{
    public const int MaxBytes = 256 * 1024;

    public async Task<ImportResult> ImportAsync(IFormFile file, CancellationToken cancellationToken = default)
    {
        if (file.Length > MaxBytes)
        {
            return ImportResult.FileRefused("Die Datei ist größer als 256 KB; eine Meldung ist viel kleiner.");
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        return await ImportAsync(buffer.ToArray(), cancellationToken);
    }

    public async Task<ImportResult> ImportAsync(byte[] document, CancellationToken cancellationToken = default)
    {
        string? period;
        try
        {
            using var json = JsonDocument.Parse(document);
            period = json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("period", out var p) && p.ValueKind == JsonValueKind.String
                ? p.GetString()
                : null;
        }
        catch (JsonException)
        {
            return ImportResult.FileRefused("Die Datei ist kein JSON-Dokument.");
        }

        using var content = new ByteArrayContent(document);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await clients.CreateClient(GatewayClients.HttpClientName).PostAsync("api/state/submissions", content, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            var summary = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            var id = summary.ValueKind == JsonValueKind.Object && summary.TryGetProperty("municipalityId", out var m) ? m.GetString() : null;
            return new ImportResult(true, response.StatusCode == System.Net.HttpStatusCode.OK, id, period, [], null);
        }

        var (problem, body) = await Problem.ReadAsync(response, cancellationToken);
        var violations = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("violations", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(v => new ImportViolation(Text(v, "pointer"), Text(v, "reason"))).ToList()
            : [];
        return new ImportResult(false, false, null, period, violations, problem);
    }

    private static string Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";
}
