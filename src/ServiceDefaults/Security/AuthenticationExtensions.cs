using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace Kim.ServiceDefaults.Security;

public static class AuthenticationExtensions
{
    /// <summary>The policy every <c>/api/**</c> endpoint requires at least.</summary>
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

                if (options.TenantClaim != KimClaims.Tenant || options.RoleClaim != KimClaims.Role)
                {
                    var validated = jwt.Events.OnTokenValidated;
                    jwt.Events.OnTokenValidated = async context =>
                    {
                        ClaimMapping.Apply(context.Principal, options.TenantClaim, options.RoleClaim);
                        await validated(context);
                    };
                }
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AuthenticatedPolicy, policy => policy.RequireAuthenticatedUser())
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return builder;
    }
}

/// <summary>A directory's own claim names for tenant and roles, copied to the ones KIM reads (<c>tenant</c>, <c>role</c>).</summary>
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

            foreach (var claim in identity.FindAll(from).ToList())
            {
                identity.AddClaim(new System.Security.Claims.Claim(to, claim.Value, claim.ValueType, claim.Issuer));
            }
        }
    }
}
