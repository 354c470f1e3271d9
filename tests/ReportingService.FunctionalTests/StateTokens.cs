using System.Net.Http.Headers;
using System.Text.Json;
using Kim.ServiceDefaults.Security;
using Kim.Testing;

namespace Kim.ReportingService.FunctionalTests;

/// <summary>Development tokens with the claims of the state API: a municipality's machine client names its municipality, and odd tokens carry a claim twice.</summary>
public static class StateTokens
{
    /// <summary>
    /// A token with exactly <paramref name="claims"/> besides issuer, audience and lifetime, signed as
    /// <see cref="OddTokens.Signed"/> signs; a type given more than once becomes an array, as a token issuer writes it.
    /// </summary>
    public static string Create(string signingKey, params (string Type, string Value)[] claims) =>
        OddTokens.Signed(signingKey, string.Join(",", claims.GroupBy(c => c.Type).Select(g =>
            $"{JsonSerializer.Serialize(g.Key)}:{(g.Count() == 1 ? JsonSerializer.Serialize(g.Single().Value) : JsonSerializer.Serialize(g.Select(c => c.Value)))}")));

    /// <summary>
    /// The token of a machine client at the provider (client credentials): its client id as subject and as <c>client_id</c>,
    /// tenant <c>land</c>, role <c>state-reporter</c> and, for a municipality's client, the municipality's key.
    /// </summary>
    public static string Client(string signingKey, string clientId, string? municipality) =>
        Create(signingKey,
        [
            (KimClaims.Subject, clientId), ("client_id", clientId), (KimClaims.Tenant, "land"), (KimClaims.Role, KimRoles.StateReporter),
            .. municipality is null ? Array.Empty<(string, string)>() : [(KimClaims.Municipality, municipality)],
        ]);

    /// <summary>The token of a municipality's machine client at the provider: tenant <c>land</c>, role <c>state-reporter</c>, the municipality's key.</summary>
    public static string MachineClient(string signingKey, string municipality) => Client(signingKey, "reportingservice", municipality);

    public static HttpClient With(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
