using System.Security.Claims;
using Kim.Identity.Users;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Kim.Identity.Connect;

/// <summary>The protocol endpoints whose decisions are ours: who is signed in, which claims a token carries, signing out.</summary>
public static class ConnectEndpoints
{
    public static void MapConnectEndpoints(this WebApplication app)
    {
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync).AllowAnonymous();
        app.MapPost("/connect/token", TokenAsync).AllowAnonymous();
        app.MapMethods("/connect/endsession", [HttpMethods.Get, HttpMethods.Post], EndSessionAsync).AllowAnonymous();
        app.MapMethods("/connect/userinfo", [HttpMethods.Get, HttpMethods.Post], UserInfo)
            .RequireAuthorization(policy => policy.AddAuthenticationSchemes(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme).RequireAuthenticatedUser());
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext context, UserManager<KimUser> users, SignInManager<KimUser> signIn, TokenClaims claims)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var cookie = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var user = cookie.Succeeded ? await users.GetUserAsync(cookie.Principal!) : null;
        // A role that needs a second factor, given after this session began: sign in again, which sets it up first.
        var secondFactorMissing = user is not null && !user.TwoFactorEnabled && RoleNames.NeedsSecondFactor(await users.GetRolesAsync(user));
        if (user is null || user.Disabled || secondFactorMissing || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Results.Forbid(Error(Errors.LoginRequired, "Nicht angemeldet."), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }

            if (user is not null)
            {
                await signIn.SignOutAsync();
            }

            // Back to this request after the sign-in, without prompt=login (else the sign-in would repeat forever).
            var parameters = context.Request.HasFormContentType ? context.Request.Form.ToList() : context.Request.Query.ToList();
            var returnUrl = context.Request.PathBase + context.Request.Path + QueryString.Create(parameters.Where(p => p.Key != Parameters.Prompt));
            return Results.Redirect($"{context.Request.PathBase}/Account/Login?ReturnUrl={Uri.EscapeDataString(returnUrl)}");
        }

        var identity = await claims.ForUserAsync(user, request.GetScopes());
        return Results.SignIn(new ClaimsPrincipal(identity), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> TokenAsync(HttpContext context, UserManager<KimUser> users, IOpenIddictApplicationManager applications, TokenClaims claims)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (request.IsClientCredentialsGrantType())
        {
            // The client's secret is already checked.
            var application = await applications.FindByClientIdAsync(request.ClientId!) ?? throw new InvalidOperationException("Unknown client.");
            var identity = await claims.ForClientAsync(application, request.GetScopes());
            return Results.SignIn(new ClaimsPrincipal(identity), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var stored = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var user = await users.FindByIdAsync(stored.Principal?.GetClaim(Claims.Subject) ?? "");
            // Password, roles, second factor or status changed since the sign-in (the security stamp moved): sign in again.
            if (user is null || user.Disabled || stored.Principal!.GetClaim(TokenClaims.StampClaim) != user.SecurityStamp
                || (!user.TwoFactorEnabled && RoleNames.NeedsSecondFactor(await users.GetRolesAsync(user))))
            {
                return Results.Forbid(Error(Errors.InvalidGrant, "Bitte neu anmelden: das Konto wurde geändert, gesperrt oder gibt es nicht mehr."), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }

            // Roles as they are now: a role taken away ends with the next refresh.
            var identity = await claims.ForUserAsync(user, stored.Principal!.GetScopes());
            return Results.SignIn(new ClaimsPrincipal(identity), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        return Results.Forbid(Error(Errors.UnsupportedGrantType, "Dieser Ablauf wird nicht unterstützt."), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static async Task<IResult> EndSessionAsync(HttpContext context, SignInManager<KimUser> signIn, AccountEvents events)
    {
        if ((await context.AuthenticateAsync(IdentityConstants.ApplicationScheme)).Principal?.FindFirstValue(Claims.Subject) is { } subject)
        {
            events.Record(AccountEvents.SignedOut, subject);
        }

        await signIn.SignOutAsync();
        return Results.SignOut(new AuthenticationProperties { RedirectUri = context.Request.PathBase + "/Account/LoggedOut" },
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static IResult UserInfo(ClaimsPrincipal user) => Results.Ok(new Dictionary<string, object?>
    {
        [Claims.Subject] = user.GetClaim(Claims.Subject),
        [Claims.Name] = user.GetClaim(Claims.Name),
        [Kim.ServiceDefaults.Security.KimClaims.Tenant] = user.GetClaim(Kim.ServiceDefaults.Security.KimClaims.Tenant),
        [Claims.Role] = user.GetClaims(Claims.Role),
    });

    private static AuthenticationProperties Error(string error, string description) => new(new Dictionary<string, string?>
    {
        [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
    });
}
