using System.Net.Http.Headers;
using System.Security.Claims;
using Kim.ServiceDefaults.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kim.ReportingService.FunctionalTests;

/// <summary>Development tokens with the claims of the state API: a municipality's machine client names its municipality, and odd tokens carry a claim twice.</summary>
public static class StateTokens
{
    /// <summary>A token with exactly <paramref name="claims"/> besides issuer, audience and lifetime.</summary>
    public static string Create(string signingKey, params (string Type, string Value)[] claims)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = DevTokens.Issuer,
            Audience = DevTokens.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(30),
            Subject = new ClaimsIdentity([.. claims.Select(c => new Claim(c.Type, c.Value)), new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N"))]),
            SigningCredentials = new SigningCredentials(DevTokens.SecurityKey(signingKey), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The token of a municipality's machine client at the provider: tenant <c>land</c>, role <c>state-reporter</c>, the municipality's key.</summary>
    public static string MachineClient(string signingKey, string municipality) =>
        Create(signingKey, (KimClaims.Subject, "reportingservice"), (KimClaims.Tenant, "land"), (KimClaims.Role, KimRoles.StateReporter), ("municipality", municipality));

    public static HttpClient With(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
