using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Kim.WebApp.SignIn;

namespace Kim.WebApp.Api;

/// <summary>A colleague in case work, as the identity provider lists them for the signed-in person's tenant.</summary>
public sealed record Colleague(string Id, string DisplayName, IReadOnlyList<string> Roles);

/// <summary>A person of any tenant with the steering-group role, as the identity provider lists them for the office's coordinators.</summary>
public sealed record SteeringPerson(string Id, string DisplayName, string Tenant)
{
    /// <summary>The name with the tenant, as the choice of members shows it (the tenant once, also when the name carries it).</summary>
    public string Label => DisplayName.EndsWith($"({Tenant})", StringComparison.Ordinal) ? DisplayName : $"{DisplayName} ({Tenant})";
}

/// <summary>
/// What the generated clients do not cover: the colleagues of the tenant and the people who can sit in the steering group
/// (from the identity provider), and documents,
/// which travel as files (multipart upload, streamed download) rather than JSON.
/// </summary>
public sealed class CaseWorkGateway(IHttpClientFactory clients, IHttpContextAccessor accessor)
{
    private IReadOnlyList<Colleague>? colleagues;

    private HttpClient Http => clients.CreateClient(GatewayClients.HttpClientName);

    private string Tenant => (accessor.HttpContext?.User ?? new ClaimsPrincipal()).Tenant();

    /// <summary>The case managers and coordinators of the tenant (read once per request); empty when they cannot be listed.</summary>
    public async Task<IReadOnlyList<Colleague>> ColleaguesAsync(CancellationToken cancellationToken = default)
    {
        if (colleagues is null)
        {
            using var response = await Http.GetAsync($"identity/api/identity/tenants/{Tenant}/colleagues", cancellationToken);
            colleagues = response.IsSuccessStatusCode
                ? await response.Content.ReadFromJsonAsync<List<Colleague>>(JsonSerializerOptions.Web, cancellationToken) ?? []
                : [];
        }

        return colleagues;
    }

    /// <summary>
    /// The people of every tenant with the steering-group role, from whom the coordinating office's coordinators choose
    /// members and deputies; empty for anyone else (the provider refuses them).
    /// </summary>
    public async Task<IReadOnlyList<SteeringPerson>> SteeringPeopleAsync(CancellationToken cancellationToken = default)
    {
        using var response = await Http.GetAsync("identity/api/identity/steering-members", cancellationToken);
        return response.IsSuccessStatusCode
            ? await response.Content.ReadFromJsonAsync<List<SteeringPerson>>(JsonSerializerOptions.Web, cancellationToken) ?? []
            : [];
    }

    /// <summary>The name people read for a user id in a case; the id itself when the person is not (or no longer) listed.</summary>
    public async Task<string> NameOfAsync(string? userId)
    {
        if (string.IsNullOrEmpty(userId))
        {
            return "–";
        }

        return (await ColleaguesAsync()).FirstOrDefault(c => c.Id == userId)?.DisplayName ?? userId;
    }

    /// <summary>Uploads a file to the case; null on success, otherwise the refusal.</summary>
    public async Task<Problem?> UploadAsync(Guid caseId, IFormFile file, Guid? consentId, CancellationToken cancellationToken = default)
    {
        using var form = new MultipartFormDataContent();
        await using var stream = file.OpenReadStream();
        var content = new StreamContent(stream);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "file", file.FileName);
        if (consentId is { } consent)
        {
            form.Add(new StringContent(consent.ToString()), "consentId");
        }

        using var response = await Http.PostAsync($"api/tenants/{Tenant}/cases/{caseId}/documents", form, cancellationToken);
        return response.IsSuccessStatusCode ? null : await ProblemOfAsync(response, cancellationToken);
    }

    /// <summary>The document's response from the API, to stream to the browser; the caller disposes it.</summary>
    public Task<HttpResponseMessage> DownloadAsync(Guid caseId, Guid documentId, CancellationToken cancellationToken) =>
        Http.GetAsync($"api/tenants/{Tenant}/cases/{caseId}/documents/{documentId}/content", HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    private static async Task<Problem> ProblemOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            var errors = body.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object
                ? e.EnumerateObject().ToDictionary(p => p.Name, p => (object)string.Join(" ", p.Value.EnumerateArray().Select(m => m.GetString())))
                : null;
            return Problem.From((int)response.StatusCode, Text(body, "type"), Text(body, "title"), Text(body, "detail"), errors);
        }
        catch (JsonException)
        {
            return Problem.From((int)response.StatusCode, null, null, null, null);
        }

        static string? Text(JsonElement body, string name) => body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}

/// <summary>Downloads a case's document through the front end, so the access token never reaches the browser.</summary>
public static class CaseDocuments
{
    public static void MapCaseDocuments(this WebApplication app) =>
        app.MapGet("/faelle/{caseId:guid}/dokumente/{documentId:guid}", async (Guid caseId, Guid documentId, CaseWorkGateway gateway, HttpContext context, CancellationToken cancellationToken) =>
        {
            using var response = await gateway.DownloadAsync(caseId, documentId, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return Results.Problem(statusCode: (int)response.StatusCode, title: "Dokument nicht verfügbar",
                    detail: "Das Dokument wurde nicht gefunden, gelöscht, oder Sie haben keinen Zugriff darauf.");
            }

            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var fileName = response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? "dokument";
            return Results.File(bytes, response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream", fileName);
        }).RequireAuthorization();
}
