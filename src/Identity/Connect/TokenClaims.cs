using System.Collections.Immutable;
using System.Security.Claims;
using System.Text.Json;
using Kim.Identity.Users;
using Kim.ServiceDefaults.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Kim.Identity.Connect;

/// <summary>The claims of the provider's tokens, the ones every KIM service reads: <c>sub</c>, <c>tenant</c>, <c>role</c>, <c>name</c>.</summary>
public sealed class TokenClaims(UserManager<KimUser> users, IOpenIddictApplicationManager applications)
{
    /// <summary>Kept in codes and refresh tokens, never in access tokens: a refresh after any change of password, roles, second factor or status is refused.</summary>
    public const string StampClaim = "kim_stamp";

    /// <summary>A person's identity, with the roles they have now.</summary>
    public async Task<ClaimsIdentity> ForUserAsync(KimUser user, IEnumerable<string> scopes)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, user.Id)
            .SetClaim(Claims.Name, user.DisplayName)
            .SetClaim(KimClaims.Tenant, user.Tenant)
            .SetClaim(StampClaim, user.SecurityStamp)
            .SetClaims(Claims.Role, [.. await users.GetRolesAsync(user)]);
        return Finish(identity, scopes);
    }

    /// <summary>
    /// A machine client's identity: the client id as subject, its tenant, roles and (for a municipality's client) municipality
    /// from its registration. The access token also names the client as <c>client_id</c>, so <c>sub</c> equals <c>client_id</c>
    /// for client credentials only (a person's token names the person and the front end): the state API tells them apart by it.
    /// </summary>
    public async Task<ClaimsIdentity> ForClientAsync(object application, IEnumerable<string> scopes)
    {
        var properties = await applications.GetPropertiesAsync(application);
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, await applications.GetClientIdAsync(application))
            .SetClaim(Claims.Name, await applications.GetDisplayNameAsync(application))
            .SetClaim(KimClaims.Tenant, properties.TryGetValue(ClientRegistration.TenantProperty, out var tenant) ? tenant.GetString() : null)
            .SetClaims(Claims.Role, properties.TryGetValue(ClientRegistration.RolesProperty, out var roles) && roles.ValueKind == JsonValueKind.Array
                ? [.. roles.EnumerateArray().Select(r => r.GetString()!)]
                : ImmutableArray<string>.Empty)
            .SetClaim(ClientRegistration.MunicipalityClaim, properties.TryGetValue(ClientRegistration.MunicipalityProperty, out var municipality) ? municipality.GetString() : null);
        return Finish(identity, scopes);
    }

    private static ClaimsIdentity NewIdentity() => new(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);

    private static ClaimsIdentity Finish(ClaimsIdentity identity, IEnumerable<string> scopes)
    {
        identity.SetScopes(scopes);
        identity.SetAudiences(IdentityProvider.ApiAudience);
        identity.SetDestinations(claim => claim.Type switch
        {
            StampClaim => [],
            Claims.Subject => [Destinations.AccessToken, Destinations.IdentityToken],
            Claims.Name or Claims.Role or KimClaims.Tenant => [Destinations.AccessToken, Destinations.IdentityToken],
            _ => [Destinations.AccessToken],
        });
        return identity;
    }
}
