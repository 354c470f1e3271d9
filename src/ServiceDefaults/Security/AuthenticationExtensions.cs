using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace Kim.ServiceDefaults.Security;

public static class AuthenticationExtensions
{
    /// <summary>The policy every <c>/api/**</c> endpoint requires at least (<see cref="PlatformUserPolicy"/>, also the default and fallback).</summary>
    public const string AuthenticatedPolicy = "authenticated";

    public static TBuilder AddKimAuthentication<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var options = builder.Configuration.GetSection(KimAuthenticationOptions.SectionName).Get<KimAuthenticationOptions>()
            ?? new KimAuthenticationOptions();

        builder.Services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.Events = SecurityEvents.BearerEvents();
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidAudience = options.Audience,
                    NameClaimType = KimClaims.Subject,
                    RoleClaimType = KimClaims.Role,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };

                if (!string.IsNullOrWhiteSpace(options.Authority))
                {
                    jwt.Authority = options.Authority;
                    jwt.RequireHttpsMetadata = options.RequireHttpsMetadata;
                    if (!string.IsNullOrWhiteSpace(options.MetadataAddress))
                    {
                        jwt.MetadataAddress = options.MetadataAddress;
                    }
                }

                if (!string.IsNullOrWhiteSpace(options.DevSigningKey))
                {
                    if (!builder.Environment.IsDevelopment() && !options.AllowDevSigningKeyOutsideDevelopment)
                    {
                        throw new InvalidOperationException(
                            "Authentication:DevSigningKey is for development only; configure Authentication:Authority.");
                    }

                    // Beside the authority's issuer and keys (merged in from its metadata), development tokens of the CLI.
                    jwt.TokenValidationParameters.ValidIssuers = [DevTokens.Issuer];
                    jwt.TokenValidationParameters.IssuerSigningKeys = [DevTokens.SecurityKey(options.DevSigningKey)];
                }
                else if (string.IsNullOrWhiteSpace(options.Authority))
                {
                    // No way to validate tokens: every protected request is refused rather than accepted.
                    jwt.TokenValidationParameters.ValidIssuer = "unconfigured";
                    jwt.TokenValidationParameters.IssuerSigningKey = DevTokens.SecurityKey(DevTokens.NewSigningKey());
                }

                var validated = jwt.Events.OnTokenValidated;
                jwt.Events.OnTokenValidated = async context =>
                {
                    // A subject and a tenant, each once: else refused like any other invalid token (401, invalid-token).
                    if (RequiredClaims.Check(context.SecurityToken, options.TenantClaim) is { } refusal)
                    {
                        context.Fail($"Token refused: {refusal}.");
                        return;
                    }

                    ClaimMapping.Apply(context.Principal, options.TenantClaim, options.RoleClaim);
                    await validated(context);
                };
            });

        var platformUser = PlatformUserPolicy();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AuthenticatedPolicy, platformUser)
            .SetDefaultPolicy(platformUser)
            .SetFallbackPolicy(platformUser);
        return builder;
    }

    /// <summary>
    /// Deny by default (ASVS 8.2.1): a signed-in token with a tenant and at least one of the platform's roles, matched
    /// exactly. A token whose roles are all unknown (<c>admin</c>, <c>*</c>, another spelling) is refused with 403.
    /// </summary>
    public static AuthorizationPolicy PlatformUserPolicy() => new AuthorizationPolicyBuilder()
        .RequireAuthenticatedUser()
        .RequireAssertion(context => IsPlatformUser(context.User))
        .Build();

    public static bool IsPlatformUser(System.Security.Claims.ClaimsPrincipal user) =>
        !string.IsNullOrEmpty(user.FindFirst(KimClaims.Tenant)?.Value)
        && user.FindAll(KimClaims.Role).Any(role => KimRoles.IsPlatformRole(role.Value));
}

/// <summary>
/// A directory's own claim names for tenant and roles, copied to the ones KIM reads (<c>tenant</c>, <c>role</c>).
/// Where a name is configured, only that claim counts: a <c>tenant</c> or <c>role</c> claim the token carries
/// itself is removed first, so it can neither add a role nor be read as the tenant.
/// </summary>
public static class ClaimMapping
{
    public static void Apply(System.Security.Claims.ClaimsPrincipal? principal, string tenantClaim, string roleClaim)
    {
        if (principal?.Identity is not System.Security.Claims.ClaimsIdentity identity)
        {
            return;
        }

        foreach (var (from, to) in new[] { (tenantClaim, KimClaims.Tenant), (roleClaim, KimClaims.Role) })
        {
            if (from == to)
            {
                continue;
            }

            foreach (var own in identity.FindAll(to).ToList())
            {
                identity.RemoveClaim(own);
            }

            foreach (var claim in identity.FindAll(from).ToList())
            {
                identity.AddClaim(new System.Security.Claims.Claim(to, claim.Value, claim.ValueType, claim.Issuer));
            }
        }
    }
}
