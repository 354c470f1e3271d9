using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Kim.NetworkService.FunctionalTests;

/// <summary>Small HTTP helpers that fail the test with the response body when the status is not the expected one.</summary>
internal static class Api
{
    public static async Task<JsonElement> SendAsync(this HttpClient client, HttpMethod method, string url, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {url}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<JsonElement> PostAsync(this HttpClient client, string url, object body, HttpStatusCode expected = HttpStatusCode.Created) =>
        client.SendAsync(HttpMethod.Post, url, body, expected);

    public static Task<JsonElement> PutAsync(this HttpClient client, string url, object body, HttpStatusCode expected = HttpStatusCode.OK) =>
        client.SendAsync(HttpMethod.Put, url, body, expected);

    public static Task<JsonElement> GetJsonAsync(this HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK) =>
        client.SendAsync(HttpMethod.Get, url, null, expected);

    public static Guid Id(this JsonElement element) => element.GetProperty("id").GetGuid();

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;
}

internal static class ProbeExtensions
{
    /// <summary>
    /// Reads published messages until one contains <paramref name="marker"/> (earlier tests' events may still arrive) and
    /// returns the event inside the envelope.
    /// </summary>
    public static async Task<JsonElement> NextContainingAsync(this Kim.Testing.AmqpProbe probe, string marker, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No message containing {marker} arrived.");
            }

            var body = await probe.NextAsync(remaining);
            if (body.Contains(marker, StringComparison.Ordinal))
            {
                return JsonDocument.Parse(body).RootElement.GetProperty("message").Clone();
            }
        }
    }
}

internal static class EventJson
{
    /// <summary>The name of an enum value in a published event, whether the wire carries it by name or by number.</summary>
    public static string EnumName<T>(this JsonElement element) where T : struct, Enum =>
        element.ValueKind == JsonValueKind.Number ? Enum.GetName(typeof(T), element.GetInt32())! : element.GetString()!;
}
