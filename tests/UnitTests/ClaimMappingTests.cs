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
    public void Default_names_add_nothing()
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(KimClaims.Tenant, "kommune"), new Claim(KimClaims.Role, "operator")], "test"));

        ClaimMapping.Apply(principal, KimClaims.Tenant, KimClaims.Role);

        Assert.Single(principal.FindAll(KimClaims.Tenant));
        Assert.Single(principal.FindAll(KimClaims.Role));
    }
}
