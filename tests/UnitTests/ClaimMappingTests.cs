using System.Security.Claims;
using Kim.ServiceDefaults.Security;

namespace Kim.UnitTests;

/// <summary>A directory that names tenant and roles differently (Entra ID's <c>roles</c>, a custom <c>extension_tenant</c>).</summary>
public sealed class ClaimMappingTests
{
    [Fact]
    public void The_directorys_claims_become_tenant_and_role_and_nothing_else_changes()
    {
        var identity = new ClaimsIdentity([new Claim("extension_tenant", "caritas"), new Claim("roles", "case-manager"), new Claim("roles", "coordinator"), new Claim("sub", "u1")], "test");
        var principal = new ClaimsPrincipal(identity);

        ClaimMapping.Apply(principal, "extension_tenant", "roles");

        Assert.Equal(["caritas"], principal.FindAll(KimClaims.Tenant).Select(c => c.Value));
        Assert.Equal(["case-manager", "coordinator"], principal.FindAll(KimClaims.Role).Select(c => c.Value));
        Assert.Equal("u1", principal.FindFirst(KimClaims.Subject)?.Value);
    }

    [Fact]
    public void Where_names_are_configured_the_tokens_own_tenant_and_role_claims_count_for_nothing()
    {
        var identity = new ClaimsIdentity(
        [
            new Claim(KimClaims.Tenant, "kommune"), new Claim("extension_tenant", "caritas"),
            new Claim(KimClaims.Role, "operator"), new Claim(KimClaims.Role, "coordinator"), new Claim("roles", "case-manager"),
        ], "test");
        var principal = new ClaimsPrincipal(identity);

        ClaimMapping.Apply(principal, "extension_tenant", "roles");

        Assert.Equal(["caritas"], principal.FindAll(KimClaims.Tenant).Select(c => c.Value));
        Assert.Equal("caritas", KimClaims.SingleTenant(principal));
        Assert.Equal(["case-manager"], principal.FindAll(KimClaims.Role).Select(c => c.Value));
    }

    [Fact]
    public void A_configured_claim_the_token_lacks_leaves_no_tenant_and_no_role()
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(KimClaims.Tenant, "kommune"), new Claim(KimClaims.Role, "operator")], "test"));

        ClaimMapping.Apply(principal, "extension_tenant", "roles");

        Assert.Empty(principal.FindAll(KimClaims.Tenant));
        Assert.Empty(principal.FindAll(KimClaims.Role));
        Assert.False(AuthenticationExtensions.IsPlatformUser(principal));
    }

    [Fact]
    public void Default_names_add_nothing()
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(KimClaims.Tenant, "kommune"), new Claim(KimClaims.Role, "operator")], "test"));

        ClaimMapping.Apply(principal, KimClaims.Tenant, KimClaims.Role);

        Assert.Single(principal.FindAll(KimClaims.Tenant));
        Assert.Single(principal.FindAll(KimClaims.Role));
    }
}
