using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kim.ServiceDefaults.Security;
using Microsoft.IdentityModel.Tokens;

namespace Kim.Testing;

/// <summary>A correctly signed token whose claims are odd, and the status the platform must answer it with.</summary>
public sealed record OddToken(string Kind, string Token, int ExpectedStatus);

/// <summary>
/// Correctly signed development tokens with claims no real token carries: unknown or misspelt roles (403, deny by
/// default) and a missing, repeated or array-valued subject or tenant (401, refused as malformed).
/// </summary>
public static class OddTokens
{
    /// <summary>
    /// A token signed with the development key whose payload is <c>iss</c>, <c>aud</c>, <c>nbf</c>, <c>iat</c>,
    /// <c>exp</c> and then exactly <paramref name="members"/> (raw JSON members, so names may repeat).
    /// </summary>
    public static string Signed(string signingKey, string members, TimeSpan? lifetime = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var expires = now + (long)(lifetime ?? TimeSpan.FromMinutes(30)).TotalSeconds;
        var times = string.Create(CultureInfo.InvariantCulture, $"\"nbf\":{now},\"iat\":{now},\"exp\":{expires}");
        var payload = $"{{\"iss\":\"{DevTokens.Issuer}\",\"aud\":\"{DevTokens.Audience}\",{times}{(members.Length > 0 ? "," : "")}{members}}}";
        var header = "{\"alg\":\"HS256\",\"kid\":\"kim-dev\",\"typ\":\"JWT\"}";
        var signed = $"{Base64UrlEncoder.Encode(header)}.{Base64UrlEncoder.Encode(payload)}";
        var signature = HMACSHA256.HashData(Convert.FromBase64String(signingKey), Encoding.ASCII.GetBytes(signed));
        return $"{signed}.{Base64UrlEncoder.Encode(signature)}";
    }

    /// <summary>Every odd token for <paramref name="tenant"/>: the ones a route must refuse with 403 and the malformed ones with 401.</summary>
    public static IReadOnlyList<OddToken> For(string signingKey, string tenant, string user = "odd-user")
    {
        var sub = $"\"sub\":\"{user}\"";
        var ten = $"\"tenant\":\"{tenant}\"";
        return
        [
            new("role missing", Signed(signingKey, $"{sub},{ten}"), 403),
            new("role admin", Signed(signingKey, $"{sub},{ten},\"role\":\"admin\""), 403),
            new("role *", Signed(signingKey, $"{sub},{ten},\"role\":\"*\""), 403),
            new("role in other case", Signed(signingKey, $"{sub},{ten},\"role\":\"Data-Protection-Officer\""), 403),
            new("role with trailing space", Signed(signingKey, $"{sub},{ten},\"role\":\"data-protection-officer \""), 403),
            new("only unknown roles in an array", Signed(signingKey, $"{sub},{ten},\"role\":[\"admin\",\"root\",\"\"]"), 403),
            new("subject missing", Signed(signingKey, $"{ten},\"role\":\"{KimRoles.Coordinator}\""), 401),
            new("empty subject", Signed(signingKey, $"\"sub\":\"\",{ten},\"role\":\"{KimRoles.Coordinator}\""), 401),
            new("subject twice", Signed(signingKey, $"{sub},\"sub\":\"someone-else\",{ten},\"role\":\"{KimRoles.Coordinator}\""), 401),
            new("subject as an array", Signed(signingKey, $"\"sub\":[\"{user}\",\"someone-else\"],{ten},\"role\":\"{KimRoles.Coordinator}\""), 401),
            new("tenant missing", Signed(signingKey, $"{sub},\"role\":\"{KimRoles.Coordinator}\""), 401),
            new("tenant twice", Signed(signingKey, $"{sub},{ten},\"tenant\":\"{tenant}\",\"role\":\"{KimRoles.Coordinator}\""), 401),
            new("tenant as an array", Signed(signingKey, $"{sub},\"tenant\":[\"{tenant}\",\"land\"],\"role\":\"{KimRoles.Coordinator}\""), 401),
            new("role named twice", Signed(signingKey, $"{sub},{ten},\"role\":\"admin\",\"role\":\"{KimRoles.Coordinator}\""), 401),
            new("issuer twice", Signed(signingKey, $"{sub},{ten},\"iss\":\"{DevTokens.Issuer}\",\"role\":\"{KimRoles.Coordinator}\""), 401),
        ];
    }
}
