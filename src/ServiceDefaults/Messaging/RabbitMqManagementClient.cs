using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;
using Kim.ServiceDefaults.Messaging;

namespace Kim.ServiceDefaults.Messaging;

/// <summary>The few calls of the RabbitMQ management HTTP API that provisioning and tests need. Credentials come from the URI's user info.</summary>
public sealed class RabbitMqManagementClient : IDisposable
{
    private readonly HttpClient http;

    public RabbitMqManagementClient(Uri managementUri)
    {
        var user = Uri.UnescapeDataString(managementUri.UserInfo);
        http = new HttpClient { BaseAddress = new Uri(managementUri.GetLeftPart(UriPartial.Authority) + "/"), Timeout = TimeSpan.FromSeconds(10) };
        if (user.Length > 0)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user)));
        }
    }

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await http.GetAsync("api/overview", cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public Task CreateVirtualHostAsync(string name, CancellationToken cancellationToken = default) =>
        PutAsync($"api/vhosts/{Escape(name)}", new { }, cancellationToken);

    public async Task DeleteVirtualHostAsync(string name, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"api/vhosts/{Escape(name)}", cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await EnsureSuccessAsync(response, cancellationToken);
        }
    }

    public Task CreateUserAsync(string user, string password, string tags = "", CancellationToken cancellationToken = default) =>
        PutAsync($"api/users/{Escape(user)}", new { password, tags }, cancellationToken);

    /// <summary>Sets the configure, write and read permission patterns (regular expressions on resource names) of a user in a virtual host.</summary>
    public Task SetPermissionsAsync(string virtualHost, string user, string configure, string write, string read, CancellationToken cancellationToken = default) =>
        PutAsync($"api/permissions/{Escape(virtualHost)}/{Escape(user)}", new { configure, write, read }, cancellationToken);

    public async Task<IReadOnlyList<QueueInfo>> QueuesAsync(string virtualHost, CancellationToken cancellationToken = default) =>
        await http.GetFromJsonAsync<List<QueueInfo>>($"api/queues/{Escape(virtualHost)}", cancellationToken) ?? [];

    private async Task PutAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await http.PutAsJsonAsync(path, body, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var detail = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"RabbitMQ management API {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}: {(int)response.StatusCode} {detail}", null, response.StatusCode);
        }
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    public void Dispose() => http.Dispose();
}

public sealed record QueueInfo(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("messages")] long Messages,
    [property: JsonPropertyName("consumers")] int Consumers);
