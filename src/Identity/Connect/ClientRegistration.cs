using System.Text.Json;
using Kim.ServiceDefaults.Security;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Kim.Identity.Connect;

/// <summary>Creates or updates the clients of <see cref="ProviderOptions.Clients"/> at start-up.</summary>
public static class ClientRegistration
{
    public const string TenantProperty = "kim_tenant";
    public const string RolesProperty = "kim_roles";
    public const string MunicipalityProperty = "kim_municipality";

    /// <summary>The claim naming the municipality a machine client submits for (read by the state API).</summary>
    public const string MunicipalityClaim = KimClaims.Municipality;

    public static async Task ApplyAsync(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ProviderOptions>>().Value;
        var applications = services.GetRequiredService<IOpenIddictApplicationManager>();
        foreach (var client in options.Clients)
        {
            var descriptor = Describe(client);
            var existing = await applications.FindByClientIdAsync(client.ClientId);
            if (existing is null)
            {
                await applications.CreateAsync(descriptor);
            }
            else
            {
                await applications.UpdateAsync(existing, descriptor);
            }
        }
    }

    public static OpenIddictApplicationDescriptor Describe(ClientOptions client)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            ClientSecret = client.Secret,
            ClientType = string.IsNullOrEmpty(client.Secret) ? ClientTypes.Public : ClientTypes.Confidential,
            DisplayName = client.DisplayName ?? client.ClientId,
            ConsentType = ConsentTypes.Implicit,
        };
        descriptor.Permissions.UnionWith([Permissions.Endpoints.Token, Permissions.Prefixes.Scope + IdentityProvider.ApiScope]);
        if (client.Machine)
        {
            descriptor.Permissions.Add(Permissions.GrantTypes.ClientCredentials);
            if (client.Tenant is not null)
            {
                descriptor.Properties[TenantProperty] = JsonSerializer.SerializeToElement(client.Tenant);
            }

            descriptor.Properties[RolesProperty] = JsonSerializer.SerializeToElement(client.Roles);
            if (!string.IsNullOrWhiteSpace(client.Municipality))
            {
                descriptor.Properties[MunicipalityProperty] = JsonSerializer.SerializeToElement(client.Municipality);
            }
        }

        if (client.RedirectUris.Count > 0)
        {
            descriptor.Permissions.UnionWith(
            [
                Permissions.Endpoints.Authorization, Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile, Permissions.Scopes.Roles,
            ]);
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
            descriptor.RedirectUris.UnionWith(client.RedirectUris.Select(u => new Uri(u)));
            descriptor.PostLogoutRedirectUris.UnionWith(client.PostLogoutRedirectUris.Select(u => new Uri(u)));
        }

        return descriptor;
    }
}
