using Kim.Identity.Admin;
using Kim.Identity.Connect;
using Kim.Identity.Infrastructure;
using Kim.Identity.Keys;
using Kim.Identity.Seed;
using Kim.Identity.Users;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Persistence;
using Kim.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Validation;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Kim.Identity;

/// <summary>
/// The OpenID Connect provider: ASP.NET Core Identity for people (passwords by length, lockout, TOTP second factor,
/// recovery codes) and OpenIddict for the protocol (authorization code with PKCE, refresh tokens, client credentials,
/// discovery, JWKS). Access tokens are signed JWTs with <c>sub</c>, <c>tenant</c>, <c>role</c> and <c>name</c>, the claims
/// every KIM service reads.
/// </summary>
public static class IdentityProvider
{
    public const string ApiAudience = "kim";
    public const string ApiScope = "kim";
    public const string AdminPolicy = "identity-admin";

    public static WebApplicationBuilder AddIdentityProvider(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(ProviderOptions.SectionName).Get<ProviderOptions>() ?? new ProviderOptions();
        builder.Services.AddOptions<ProviderOptions>().Bind(builder.Configuration.GetSection(ProviderOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ProviderOptions>, ProviderOptionsValidation>();
        builder.AddKimDbContext<IdentityDb, SqliteIdentityDb, SqlServerIdentityDb>("identitydb");

        builder.Services.AddIdentity<KimUser, IdentityRole>(identity =>
            {
                // NIST SP 800-63B: length, not composition rules.
                identity.Password.RequiredLength = 12;
                identity.Password.RequireDigit = false;
                identity.Password.RequireLowercase = false;
                identity.Password.RequireUppercase = false;
                identity.Password.RequireNonAlphanumeric = false;
                identity.Password.RequiredUniqueChars = 4;
                identity.Lockout.MaxFailedAccessAttempts = 5;
                identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                identity.Lockout.AllowedForNewUsers = true;
                identity.User.RequireUniqueEmail = false;
                identity.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyz0123456789-._@";
                identity.ClaimsIdentity.UserIdClaimType = Claims.Subject;
                identity.ClaimsIdentity.UserNameClaimType = Claims.Name;
                identity.ClaimsIdentity.RoleClaimType = Claims.Role;
            })
            .AddEntityFrameworkStores<IdentityDb>()
            .AddDefaultTokenProviders()
            .AddErrorDescriber<GermanIdentityErrors>()
            .AddPasswordValidator<CommonPasswordValidator>();
        builder.Services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "kim.identity";
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SecurePolicy = options.AllowHttp ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            cookie.Cookie.Path = options.PathBase.Length > 0 ? options.PathBase : "/";
            cookie.LoginPath = "/Account/Login";
            cookie.LogoutPath = "/Account/Logout";
            cookie.AccessDeniedPath = "/Account/Login";
            cookie.ExpireTimeSpan = TimeSpan.FromHours(10);
            cookie.SlidingExpiration = false;
        });
        builder.Services.AddAuthentication().AddCookie(Enrollment.Scheme, cookie =>
        {
            cookie.Cookie.Name = "kim.identity.enrollment";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SecurePolicy = options.AllowHttp ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            cookie.ExpireTimeSpan = TimeSpan.FromMinutes(10);
            cookie.LoginPath = "/Account/Login";
        });

        var keys = new KeyStore(
            options.KeyDirectory ?? Path.Combine(builder.Environment.ContentRootPath, ".data", "identity-keys"),
            options.KeyPassword ?? throw new InvalidOperationException("Identity:KeyPassword is not set: the provider's certificates need a password."),
            options.KeyRotation,
            TimeProvider.System);
        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityDb>())
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetEndSessionEndpointUris("connect/endsession")
                    .SetUserInfoEndpointUris("connect/userinfo");
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                    .AllowRefreshTokenFlow()
                    .AllowClientCredentialsFlow();
                server.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Roles, Scopes.OfflineAccess, ApiScope);
                server.SetAccessTokenLifetime(options.AccessTokenLifetime).SetRefreshTokenLifetime(options.RefreshTokenLifetime);
                foreach (var certificate in keys.SigningCertificates())
                {
                    server.AddSigningCertificate(certificate);
                }

                foreach (var certificate in keys.EncryptionCertificates())
                {
                    server.AddEncryptionCertificate(certificate);
                }

                // Signed, not encrypted: every service validates access tokens with the published keys (JWKS).
                server.DisableAccessTokenEncryption();
                if (!string.IsNullOrWhiteSpace(options.Issuer))
                {
                    server.SetIssuer(new Uri(options.Issuer));
                }

                var aspNetCore = server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough();
                if (options.AllowHttp)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.UseAspNetCore();
                // The provider's own access tokens pass the same required-claims check as at the gateway and the services.
                validation.AddEventHandler<OpenIddictValidationEvents.ProcessAuthenticationContext>(handler => handler
                    .UseInlineHandler(RequireClaimsOfAccessToken)
                    .SetOrder(OpenIddictValidationHandlers.ValidateAccessToken.Descriptor.Order + 1_000)
                    .SetType(OpenIddictValidationHandlerType.Custom));
            });

        // The administration API: the services' deny-by-default policy (a tenant and one of the platform's roles), for
        // the provider's own tokens and, in development, the CLI's development tokens; each endpoint checks its roles on top.
        builder.Services.AddAuthorizationBuilder().AddPolicy(AdminPolicy, new AuthorizationPolicyBuilder(AuthenticationExtensions.PlatformUserPolicy())
            .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme, Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerDefaults.AuthenticationScheme)
            .Build());
        builder.Services.AddRazorPages();
        builder.Services.AddScoped<TokenClaims>();
        builder.Services.AddScoped<AccountEvents>();
        return builder;
    }

    /// <summary>A validated access token without one subject and one tenant, or with a claim named twice, is refused (401).</summary>
    private static ValueTask RequireClaimsOfAccessToken(OpenIddictValidationEvents.ProcessAuthenticationContext context)
    {
        if (context.AccessTokenPrincipal is null || string.IsNullOrEmpty(context.AccessToken))
        {
            return ValueTask.CompletedTask;
        }

        string? refusal;
        try
        {
            refusal = RequiredClaims.Check(new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(context.AccessToken));
        }
        catch (ArgumentException)
        {
            refusal = "not a JSON web token";
        }

        if (refusal is not null)
        {
            context.Reject(error: Errors.InvalidToken, description: $"Token refused: {refusal}.");
        }

        return ValueTask.CompletedTask;
    }

    public static WebApplication UseIdentityProvider(this WebApplication app)
    {
        var options = app.Configuration.GetSection(ProviderOptions.SectionName).Get<ProviderOptions>() ?? new ProviderOptions();
        if (options.PathBase.Length > 0)
        {
            app.UsePathBase(options.PathBase);
        }

        app.UseExceptionHandler();
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                // Pages with their own inline styles and a QR code as inline SVG; nothing else loads, nothing frames them.
                context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'";
                context.Response.Headers.CacheControl = "no-store";
                context.Response.Headers.XContentTypeOptions = "nosniff";
                context.Response.Headers["Referrer-Policy"] = "no-referrer";
                return Task.CompletedTask;
            });
            await next();
        });
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages().AllowAnonymous();
        app.MapConnectEndpoints();
        app.MapAdminApi();
        app.MapOpenApi().AllowAnonymous();
        app.MapDefaultEndpoints();
        return app;
    }

    /// <summary>Migrates the database, creates the platform's roles, registers the configured clients and, in Development, seeds one user per role and tenant.</summary>
    public static async Task PrepareIdentityProviderAsync(this WebApplication app)
    {
        await app.MigrateDbContextAsync<IdentityDb>();
        await using var scope = app.Services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Kim.ServiceDefaults.Security.KimRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }

        await ClientRegistration.ApplyAsync(scope.ServiceProvider);
        if (app.Environment.IsDevelopment())
        {
            await DevelopmentSeed.ApplyAsync(scope.ServiceProvider);
        }
    }
}
