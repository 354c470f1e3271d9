using System.Net.Http.Json;
using System.Text.Json;
using Kim.WebApp.Api;

namespace Kim.WebApp.Components.Pages.State;

/// <summary>A violation of an imported document: where (JSON pointer) and why.</summary>
public sealed record ImportViolation(string Pointer, string Reason);

/// <summary>The outcome of an import: accepted (new or replacing) or refused with every violation.</summary>
public sealed record ImportResult(bool Accepted, bool Replaced, string? Municipality, IReadOnlyList<ImportViolation> Violations, string? Refusal);

/// <summary>
/// Imports a submission file the ministry received by another way (e.g. e-mail) through the state API, passing the
/// document on unchanged: the API validates it against the published schema and answers every violation.
/// </summary>
public sealed class StateImports(IHttpClientFactory clients)
{
    public const int MaxBytes = 256 * 1024;

    public async Task<ImportResult> ImportAsync(IFormFile file, CancellationToken cancellationToken = default)
    {
        if (file.Length > MaxBytes)
        {
            return new ImportResult(false, false, null, [], "Die Datei ist größer als 256 KB; eine Meldung ist viel kleiner.");
        }

        await using var stream = file.OpenReadStream();
        using var content = new StreamContent(stream);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await clients.CreateClient(GatewayClients.HttpClientName).PostAsync("api/state/submissions", content, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            var summary = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            var name = summary.TryGetProperty("name", out var n) ? n.GetString() : null;
            return new ImportResult(true, response.StatusCode == System.Net.HttpStatusCode.OK, name, [], null);
        }

        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            var violations = problem.TryGetProperty("violations", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(v => new ImportViolation(v.GetProperty("pointer").GetString() ?? "", v.GetProperty("reason").GetString() ?? "")).ToList()
                : [];
            return new ImportResult(false, false, null, violations, problem.TryGetProperty("title", out var title) ? title.GetString() : null);
        }
        catch (JsonException)
        {
            return new ImportResult(false, false, null, [new ImportViolation("", "Die Datei ist kein JSON-Dokument.")], "Meldung ungültig");
        }
    }
}
