using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Kim.Identity.Keys;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.IdentityModel.Tokens;

namespace Kim.Identity.FunctionalTests;

/// <summary>
/// The administration API's policy is the services' deny by default (a tenant and one of the platform's roles), and
/// the provider's own access tokens pass the same required-claims check as at the gateway and the services.
/// </summary>
[Collection(IdentityCollection.Name)]
public sealed class AdminPolicyTests(IdentityFixture identity)
{
    [Theory]
    [InlineData("\"role\":\"admin\"")]
    [InlineData("\"role\":\"Case-Manager\"")]
    [InlineData("")]
    public async Task A_token_without_a_platform_role_is_refused_by_the_policy_and_recorded(string role)
    {
        // A tenant no other test uses, so the security event found is this request's.
        var tenant = "odd-" + Guid.NewGuid().ToString("N")[..8];
        var path = $"api/identity/tenants/{tenant}/users";
        var token = OddTokens.Signed(identity.DevSigningKey, $"\"sub\":\"odd-admin\",\"tenant\":\"{tenant}\"{(role.Length > 0 ? "," : "")}{role}");

        using var response = await identity.AdminClient(token).GetAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(identity.Log, entry => entry.Event.Name == "SecurityAuthorizationRefused" && entry.Message.Contains("/" + path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_provider_signed_token_is_accepted_and_one_with_a_claim_twice_or_an_array_tenant_is_refused_with_401()
    {
        const string colleagues = "api/identity/tenants/caritas/colleagues";
        const string subject = "\"sub\":\"forged-colleague\"";
        const string tenant = "\"tenant\":\"caritas\"";
        var caseManager = $"\"role\":\"{KimRoles.CaseManager}\"";

        using var wellFormed = await identity.AdminClient(ProviderSigned($"{subject},{tenant},{caseManager}")).GetAsync(colleagues);
        using var subjectTwice = await identity.AdminClient(ProviderSigned($"{subject},\"sub\":\"someone-else\",{tenant},{caseManager}")).GetAsync(colleagues);
        using var roleTwice = await identity.AdminClient(ProviderSigned($"{subject},{tenant},\"role\":\"admin\",{caseManager}")).GetAsync(colleagues);
        using var tenantArray = await identity.AdminClient(ProviderSigned($"{subject},\"tenant\":[\"caritas\",\"land\"],{caseManager}")).GetAsync(colleagues);
        using var noSubject = await identity.AdminClient(ProviderSigned($"{tenant},{caseManager}")).GetAsync(colleagues);

        Assert.Equal(HttpStatusCode.OK, wellFormed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, subjectTwice.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, roleTwice.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tenantArray.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noSubject.StatusCode);
    }

    /// <summary>An access token signed with the provider's own signing certificate, with exactly these claims besides issuer, audience and times.</summary>
    private string ProviderSigned(string members)
    {
        var certificate = new KeyStore(identity.KeyDirectory, identity.KeyPassword, TimeSpan.FromDays(90), TimeProvider.System).SigningCertificates()[0];
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = string.Create(CultureInfo.InvariantCulture,
            $"{{\"iss\":\"{identity.Issuer}\",\"aud\":\"kim\",\"nbf\":{now},\"iat\":{now},\"exp\":{now + 600},\"jti\":\"{Guid.NewGuid():N}\",\"scope\":\"kim\",\"client_id\":\"kim-cli\",{members}}}");
        var header = $"{{\"alg\":\"RS256\",\"kid\":\"{certificate.Thumbprint}\",\"x5t\":\"{Base64UrlEncoder.Encode(certificate.GetCertHash())}\",\"typ\":\"at+jwt\"}}";
        var signed = $"{Base64UrlEncoder.Encode(header)}.{Base64UrlEncoder.Encode(payload)}";
        using var rsa = certificate.GetRSAPrivateKey()!;
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signed}.{Base64UrlEncoder.Encode(signature)}";
    }
}
