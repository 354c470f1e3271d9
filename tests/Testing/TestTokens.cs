using System.Net.Http.Headers;
using Kim.ServiceDefaults.Security;

namespace Kim.Testing;

public static class TestTokens
{
    /// <summary>Sends a development token of <paramref name="tenant"/>, <paramref name="role"/> and <paramref name="user"/> with every request of <paramref name="client"/>.</summary>
    public static HttpClient WithToken(this HttpClient client, string signingKey, string tenant, string role, string user = "test-user", TimeSpan? lifetime = null)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            DevTokens.Create(signingKey, tenant, role, user, DateTime.UtcNow, lifetime ?? TimeSpan.FromMinutes(30)));
        return client;
    }
}
