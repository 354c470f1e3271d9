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
                }
                else if (!string.IsNullOrWhiteSpace(options.DevSigningKey))
                {
                    if (!builder.Environment.IsDevelopment() && !options.AllowDevSigningKeyOutsideDevelopment)
                    {
                        throw new InvalidOperationException(
                            "Authentication:DevSigningKey is for development only; configure Authentication:Authority.");
                    }

                    jwt.TokenValidationParameters.ValidIssuer = DevTokens.Issuer;
                    jwt.TokenValidationParameters.IssuerSigningKey = DevTokens.SecurityKey(options.DevSigningKey);
                }
                else
                {
                    // No way to validate tokens: every protected request is refused rather than accepted.
                    jwt.TokenValidationParameters.ValidIssuer = "unconfigured";
                    jwt.TokenValidationParameters.IssuerSigningKey = DevTokens.SecurityKey(DevTokens.NewSigningKey());
                }
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AuthenticatedPolicy, policy => policy.RequireAuthenticatedUser())
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return builder;
    }
}
