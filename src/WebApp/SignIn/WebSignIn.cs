using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Kim.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Kim.WebApp.SignIn;

/// <summary>
/// The front end as a backend for frontend: OpenID Connect code flow with PKCE against the configured authority, a
/// cookie session whose tokens stay on the server, the access token renewed with the refresh token shortly before it
/// expires, and signing out at the provider too.
/// </summary>
public static class WebSignIn
{
    public const string SignOutPath = "/abmelden";
    private const string CallbackPath = "/signin-oidc";
    private const string SignedOutCallbackPath = "/signout-callback-oidc";
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(1);

    public static void AddWebSignIn(this WebApplicationBuilder builder, WebAppOptions options)
    {
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<ServerSessionStore>();
        builder.Services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, ServerSessionStore.Setup>();
        builder.Services.AddAuthentication(authentication =>
            {
                authentication.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                authentication.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(cookie =>
            {
                cookie.Cookie.Name = "kim.session";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = options.PublicAddress.Scheme == Uri.UriSchemeHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = options.IdleTimeout;
                cookie.SlidingExpiration = true;
                cookie.AccessDeniedPath = "/kein-zugriff";
                cookie.Events.OnValidatePrincipal = RenewAccessTokenAsync;
            })
            .AddOpenIdConnect(oidc =>
            {
                oidc.Authority = options.Authority;
                oidc.MetadataAddress = options.MetadataAddress;
                oidc.RequireHttpsMetadata = options.RequireHttpsMetadata;
                oidc.ClientId = options.ClientId;
                oidc.ClientSecret = options.ClientSecret;
                oidc.ResponseType = OpenIdConnectResponseType.Code;
                // The code comes back in the query: a form_post answer needs an inline script, which the provider's policy forbids.
                oidc.ResponseMode = OpenIdConnectResponseMode.Query;
                oidc.UsePkce = true;
                oidc.SaveTokens = true;
                oidc.MapInboundClaims = false;
                oidc.GetClaimsFromUserInfoEndpoint = false;
                oidc.CallbackPath = CallbackPath;
                oidc.SignedOutCallbackPath = SignedOutCallbackPath;
                oidc.Scope.Clear();
                foreach (var scope in new[] { "openid", "profile", "roles", "offline_access", "kim" })
                {
                    oidc.Scope.Add(scope);
                }

                oidc.TokenValidationParameters.NameClaimType = "name";
                oidc.TokenValidationParameters.RoleClaimType = KimClaims.Role;
                oidc.Events.OnRedirectToIdentityProvider = context =>
                {
                    context.ProtocolMessage.RedirectUri = new Uri(options.PublicAddress, CallbackPath).ToString();
                    context.ProtocolMessage.IssuerAddress = AtAuthority(context.ProtocolMessage.IssuerAddress, options);
                    return Task.CompletedTask;
                };
                oidc.Events.OnRedirectToIdentityProviderForSignOut = context =>
                {
                    context.ProtocolMessage.PostLogoutRedirectUri = new Uri(options.PublicAddress, SignedOutCallbackPath).ToString();
                    context.ProtocolMessage.IssuerAddress = AtAuthority(context.ProtocolMessage.IssuerAddress, options);
                    return Task.CompletedTask;
                };
                oidc.Events.OnRemoteFailure = context =>
                {
                    // Cancelled or refused at the provider: back to the start page, which offers to sign in again.
                    context.Response.Redirect("/anmeldung-fehlgeschlagen");
                    context.HandleResponse();
                    return Task.CompletedTask;
                };
            });
        // Deny by default, as in the services: a signed-in person with a tenant and one of the platform's roles (the
        // id token's `tenant` and `role`); anyone else signed in gets the refusal page, never a page or a download.
        var platformUser = AuthenticationExtensions.PlatformUserPolicy();
        builder.Services.AddAuthorizationBuilder()
            .SetDefaultPolicy(platformUser)
            .SetFallbackPolicy(platformUser);
        builder.Services.AddCascadingAuthenticationState();
    }

    public static void MapWebSignIn(this WebApplication app)
    {
        // A form post (with the form token), never a link: a GET must not end a session.
        app.MapPost(SignOutPath, async (HttpContext context, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery) =>
                await antiforgery.IsRequestValidAsync(context)
                    ? Results.SignOut(
                        new AuthenticationProperties { RedirectUri = "/abgemeldet" },
                        [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme])
                    : Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Formular abgelaufen", detail: "Bitte laden Sie die Seite neu und melden Sie sich dann ab."))
            // Whoever is signed in may sign out, also without a platform role.
            .RequireAuthorization(policy => policy.RequireAuthenticatedUser())
            .DisableAntiforgery();
    }

    /// <summary>
    /// A browser is sent to the provider's endpoints at the authority's public origin, also when the provider describes
    /// them at the address it was asked on (behind the gateway, its own).
    /// </summary>
    internal static string AtAuthority(string endpoint, WebAppOptions options)
    {
        var authority = new Uri(options.Authority);
        return new UriBuilder(new Uri(endpoint)) { Scheme = authority.Scheme, Host = authority.Host, Port = authority.Port }.Uri.ToString();
    }

    /// <summary>Renews the access token with the refresh token when it is about to expire; a refused renewal ends the session.</summary>
    private static async Task RenewAccessTokenAsync(CookieValidatePrincipalContext context)
    {
        var expiresAt = context.Properties.GetTokenValue("expires_at");
        if (expiresAt is null
            || !DateTimeOffset.TryParse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expires)
            || expires - TimeProvider.System.GetUtcNow() > RenewBefore)
        {
            return;
        }

        var renewed = await RefreshAsync(context.HttpContext, context.Properties.GetTokenValue("refresh_token"));
        if (renewed is not null && renewed.All(token => token.Name != "id_token") && context.Properties.GetTokenValue("id_token") is { } idToken)
        {
            // Kept for signing out at the provider (id_token_hint).
            renewed.Add(new AuthenticationToken { Name = "id_token", Value = idToken });
        }
        if (renewed is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        context.Properties.StoreTokens(renewed);
        context.ShouldRenew = true;
    }

    private static async Task<List<AuthenticationToken>?> RefreshAsync(HttpContext http, string? refreshToken)
    {
        if (string.IsNullOrEmpty(refreshToken))
        {
            return null;
        }

        var oidc = http.RequestServices.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OpenIdConnectDefaults.AuthenticationScheme);
        try
        {
            var configuration = await oidc.ConfigurationManager!.GetConfigurationAsync(http.RequestAborted);
            using var response = await oidc.Backchannel.PostAsync(configuration.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = refreshToken,
                ["client_id"] = oidc.ClientId!,
                ["client_secret"] = oidc.ClientSecret!,
            }), http.RequestAborted);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(http.RequestAborted), cancellationToken: http.RequestAborted);
            var root = document.RootElement;
            if (!root.TryGetProperty("access_token", out var access) || access.GetString() is not { } accessToken
                || !root.TryGetProperty("expires_in", out var lifetime) || !lifetime.TryGetInt32(out var seconds))
            {
                return null;
            }

            var tokens = new List<AuthenticationToken>
            {
                new() { Name = "access_token", Value = accessToken },
                new() { Name = "refresh_token", Value = root.TryGetProperty("refresh_token", out var refresh) && refresh.GetString() is { } next ? next : refreshToken },
                new() { Name = "token_type", Value = "Bearer" },
                new() { Name = "expires_at", Value = TimeProvider.System.GetUtcNow().AddSeconds(seconds).ToString("o", CultureInfo.InvariantCulture) },
            };
            if (root.TryGetProperty("id_token", out var idToken) && idToken.GetString() is { } id)
            {
                tokens.Add(new AuthenticationToken { Name = "id_token", Value = id });
            }

            return tokens;
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or InvalidOperationException or IOException)
        {
            // The provider cannot be reached or answers nonsense: end the session (sign in again) rather than fail every page.
            return null;
        }
    }

    /// <summary>The signed-in person's tenant: from their token's claim, never from an address.</summary>
    public static string Tenant(this ClaimsPrincipal user) =>
        user.FindFirst(KimClaims.Tenant)?.Value ?? throw new InvalidOperationException("The signed-in user has no tenant.");
}
