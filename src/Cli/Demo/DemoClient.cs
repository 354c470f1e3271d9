using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kim.ServiceDefaults.Security;

namespace Kim.Cli.Demo;

/// <summary>A request of the demo the platform refused: what was asked and what it answered.</summary>
public sealed class DemoRequestException(string message) : Exception(message);

/// <summary>
/// The demo's access to the platform: only the gateway's public API, with one development token per tenant and role
/// (as <c>token</c> prints them). Every refused request stops the demo with the platform's answer.
/// </summary>
public sealed class DemoClient(Uri gateway, string signingKey) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(5) };
    private readonly Dictionary<(string Tenant, string Role, string User), string> tokens = [];

    public int Requests { get; private set; }

    /// <summary>A caller of the platform: a tenant, a role and the user id the token names.</summary>
    public Caller As(string tenant, string role, string user) => new(this, tenant, role, user);

    public void Dispose() => http.Dispose();

    internal async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(Caller caller, HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        var key = (caller.Tenant, caller.Role, caller.User);
        if (!tokens.TryGetValue(key, out var token))
        {
            token = DevTokens.Create(signingKey, caller.Tenant, caller.Role, caller.User, DateTime.UtcNow, TimeSpan.FromHours(2));
            tokens[key] = token;
        }

        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Requests++;
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < 10)
            {
                // The gateway limits requests per user and minute: wait as it says.
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(5), cancellationToken);
                content = content is null ? null : await CopyAsync(content, cancellationToken);
                continue;
            }

            var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
            return (response.StatusCode, body);
        }
    }

    private static async Task<HttpContent> CopyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var copy = new ByteArrayContent(await content.ReadAsByteArrayAsync(cancellationToken));
        copy.Headers.ContentType = content.Headers.ContentType;
        return copy;
    }
}

/// <summary>One caller (tenant, role, user) of the demo.</summary>
public sealed class Caller(DemoClient client, string tenant, string role, string user)
{
    public string Tenant { get; } = tenant;

    public string Role { get; } = role;

    public string User { get; } = user;

    public Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) => ExpectAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<JsonElement> PostAsync(string path, object body, CancellationToken cancellationToken) => ExpectAsync(HttpMethod.Post, path, JsonContent.Create(body), cancellationToken);

    public Task<JsonElement> PutAsync(string path, object body, CancellationToken cancellationToken) => ExpectAsync(HttpMethod.Put, path, JsonContent.Create(body), cancellationToken);

    /// <summary>Sends and returns the status and body without judging them (for polling and for answers the demo expects to vary).</summary>
    public Task<(HttpStatusCode Status, JsonElement Body)> TryAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken) =>
        client.SendAsync(this, method, path, body is null ? null : JsonContent.Create(body), cancellationToken);

    /// <summary>Posts a CSV file (the historical import) and returns the answer unjudged.</summary>
    public Task<(HttpStatusCode Status, JsonElement Body)> TryCsvAsync(string path, string csv, CancellationToken cancellationToken) =>
        client.SendAsync(this, HttpMethod.Post, path, new StringContent(csv, Encoding.UTF8, "text/csv"), cancellationToken);

    private async Task<JsonElement> ExpectAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        var (status, body) = await client.SendAsync(this, method, path, content, cancellationToken);
        return Checked(method, path, status, body);
    }

    private static JsonElement Checked(HttpMethod method, string path, HttpStatusCode status, JsonElement body) =>
        (int)status is >= 200 and < 300
            ? body
            : throw new DemoRequestException($"{method} {path}: {(int)status} {(body.ValueKind == JsonValueKind.Undefined ? "" : body.GetRawText())}");
}
