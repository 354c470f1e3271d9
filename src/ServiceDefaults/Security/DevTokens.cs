using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kim.ServiceDefaults.Security;

/// <summary>Development tokens signed with a local symmetric key. Never used when an OIDC authority is configured.</summary>
public static class DevTokens
{
    public const string Issuer = "kim-dev";
    public const string Audience = "kim";

    /// <summary>A fresh random 256-bit key, base64.</summary>
    public static string NewSigningKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static SymmetricSecurityKey SecurityKey(string base64Key) => new(Convert.FromBase64String(base64Key)) { KeyId = "kim-dev" };

    public static string Create(string base64Key, string tenant, string role, string user, DateTime nowUtc, TimeSpan lifetime)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        if (!KimRoles.All.Contains(role))
        {
            throw new ArgumentException($"Unknown role '{role}'. Known roles: {string.Join(", ", KimRoles.All)}.", nameof(role));
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = nowUtc,
            NotBefore = nowUtc,
            Expires = nowUtc.Add(lifetime),
            Subject = new ClaimsIdentity(
            [
                new Claim(KimClaims.Subject, user),
                new Claim(KimClaims.Tenant, tenant),
                new Claim(KimClaims.Role, role),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
            ]),
            SigningCredentials = new SigningCredentials(SecurityKey(base64Key), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
