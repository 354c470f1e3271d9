using System.Security.Claims;
using System.Text;
using Kim.ServiceDefaults.Security;

namespace Kim.UnitTests;

/// <summary>A token's payload must name a subject and a tenant, each once; repeated names and arrays where one value belongs are refused.</summary>
public sealed class RequiredClaimsTests
{
    private static string? Check(string payload, string tenantClaim = KimClaims.Tenant) => RequiredClaims.Check(Encoding.UTF8.GetBytes(payload), tenantClaim);

    [Theory]
    [InlineData("{\"sub\":\"u1\",\"tenant\":\"kommune\",\"role\":\"coordinator\"}")]
    [InlineData("{\"sub\":\"u1\",\"tenant\":\"kommune\",\"role\":[\"coordinator\",\"case-manager\"],\"aud\":[\"kim\",\"other\"]}")]
    [InlineData("{\"iss\":\"x\",\"sub\":\"u1\",\"tenant\":\"kommune\",\"exp\":1,\"nbf\":1,\"iat\":1,\"name\":\"N\",\"client_id\":\"c\",\"scope\":\"a b\",\"oi_prst\":[\"a\",\"b\"],\"cnf\":{\"x\":1}}")]
    public void A_payload_with_one_subject_and_one_tenant_passes(string payload) => Assert.Null(Check(payload));

    [Theory]
    [InlineData("{\"tenant\":\"kommune\",\"role\":\"coordinator\"}", "'sub' missing")]
    [InlineData("{\"sub\":\"\",\"tenant\":\"kommune\"}", "'sub' must be a non-empty string")]
    [InlineData("{\"sub\":\"  \",\"tenant\":\"kommune\"}", "'sub' must be a non-empty string")]
    [InlineData("{\"sub\":42,\"tenant\":\"kommune\"}", "'sub' must be a non-empty string")]
    [InlineData("{\"sub\":null,\"tenant\":\"kommune\"}", "'sub' must be a non-empty string")]
    [InlineData("{\"sub\":\"u1\",\"role\":\"coordinator\"}", "'tenant' missing")]
    [InlineData("{\"sub\":\"u1\",\"sub\":\"u2\",\"tenant\":\"kommune\"}", "'sub' repeated")]
    [InlineData("{\"sub\":\"u1\",\"s\\u0075b\":\"u2\",\"tenant\":\"kommune\"}", "'sub' repeated")]
    [InlineData("{\"sub\":[\"u1\",\"u2\"],\"tenant\":\"kommune\"}", "'sub' must have one value")]
    [InlineData("{\"sub\":\"u1\",\"tenant\":\"kommune\",\"tenant\":\"caritas\"}", "'tenant' repeated")]
    [InlineData("{\"sub\":\"u1\",\"tenant\":[\"kommune\",\"caritas\"]}", "'tenant' must have one value")]
    [InlineData("{\"sub\":\"u1\",\"tenant\":{\"id\":\"kommune\"}}", "'tenant' must have one value")]
    [InlineData("{\"sub\":\"u1\",\"tenant\":\"kommune\",\"iss\":\"a\",\"iss\":\"b\"}", "'iss' repeated")]
    [InlineData("{\"sub\":\"u1\",\"tenant\":\"kommune\",\"iss\":[\"a\"]}", "'iss' must have one value")]
    [InlineData("{\"sub\":\"u1\",\"tenant\":\"kommune\",\"exp\":[1,2]}", "'exp' must have one value")]
    [InlineData("{\"sub\":\"u1\",\"tenant\":\"kommune\",\"name\":[\"a\",\"b\"]}", "'name' must have one value")]
    [InlineData("{\"sub\":\"u1\",\"tenant\":\"kommune\",\"client_id\":[\"a\"]}", "'client_id' must have one value")]
    [InlineData("{\"sub\":\"u1\",\"tenant\":\"land\",\"municipality\":[\"05158\",\"05162\"]}", "'municipality' must have one value")]
    [InlineData("{\"sub\":\"u1\",\"tenant\":\"land\",\"municipality\":{\"id\":\"05158\"}}", "'municipality' must have one value")]
    [InlineData("{\"sub\":\"u1\",\"tenant\":\"land\",\"municipality\":\"05158\",\"municipality\":\"05162\"}", "'municipality' repeated")]
    [InlineData("{\"sub\":\"u1\",\"tenant\":\"kommune\",\"aud\":\"kim\",\"aud\":\"other\"}", "'aud' repeated")]
    [InlineData("{\"sub\":\"u1\",\"tenant\":\"kommune\",\"role\":\"admin\",\"role\":\"coordinator\"}", "'role' repeated")]
    [InlineData("[\"sub\"]", "not a JSON object")]
    [InlineData("{\"sub\":\"u1\",", "not valid JSON")]
    public void A_payload_without_a_subject_or_tenant_or_with_repeated_or_array_values_is_refused(string payload, string reason)
    {
        var refusal = Check(payload);

        Assert.NotNull(refusal);
        Assert.Contains(reason, refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directorys_own_tenant_claim_is_the_one_required()
    {
        Assert.Null(Check("{\"sub\":\"u1\",\"extension_tenant\":\"kommune\"}", "extension_tenant"));
        Assert.Contains("'extension_tenant' missing", Check("{\"sub\":\"u1\",\"tenant\":\"kommune\"}", "extension_tenant"), StringComparison.Ordinal);
        Assert.Contains("must have one value", Check("{\"sub\":\"u1\",\"extension_tenant\":[\"a\",\"b\"]}", "extension_tenant"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_development_token_passes_as_a_token()
    {
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(
            DevTokens.Create(DevTokens.NewSigningKey(), "kommune", KimRoles.Coordinator, "u1", DateTime.UtcNow, TimeSpan.FromMinutes(5)));

        Assert.Null(RequiredClaims.Check(token));
        Assert.NotNull(RequiredClaims.Check((Microsoft.IdentityModel.Tokens.SecurityToken?)null));
    }

    [Theory]
    [InlineData("coordinator", true)]
    [InlineData("data-protection-officer", true)]
    [InlineData("Data-Protection-Officer", false)]
    [InlineData("data-protection-officer ", false)]
    [InlineData(" coordinator", false)]
    [InlineData("admin", false)]
    [InlineData("*", false)]
    [InlineData("", false)]
    public void Only_the_platforms_roles_exactly_as_written_count(string role, bool platformRole)
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(KimClaims.Tenant, "kommune"), new Claim(KimClaims.Role, role)], "test"));

        Assert.Equal(platformRole, KimRoles.IsPlatformRole(role));
        Assert.Equal(platformRole, AuthenticationExtensions.IsPlatformUser(user));
    }

    [Fact]
    public void A_platform_role_without_a_tenant_is_no_platform_user()
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(KimClaims.Role, KimRoles.Coordinator)], "test"));

        Assert.False(AuthenticationExtensions.IsPlatformUser(user));
    }
}
