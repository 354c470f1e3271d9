using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Kim.CaseService.Tenancy;

/// <summary>
/// Pseudonymous case keys: HMAC-SHA256 of the case id under the tenant's secret. The same case always gets the
/// same key, other services can count and join on it, and nobody without the secret can link it back.
/// </summary>
public sealed class CaseKeys(IOptions<TenantOptions> tenant)
{
    private readonly byte[] key = Convert.FromBase64String(tenant.Value.PseudonymKey);

    public string For(Guid caseId)
    {
        var hash = HMACSHA256.HashData(key, caseId.ToByteArray());
        return Base64UrlEncode(hash.AsSpan(0, 16));
    }

    private static string Base64UrlEncode(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
