using System.Net.Http.Json;
using System.Text.Json;

namespace Kim.WebApp.Tests;

/// <summary>Set-up through the APIs (what a test needs before it opens a page): a failed call fails the test with its answer.</summary>
public static class ApiSetup
{
    public static Task<JsonElement> PostAsync(HttpClient client, string path, object body) => SendAsync(client, HttpMethod.Post, path, body);

    public static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string path, object body)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
