using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Kim.ServiceDefaults.Security;

/// <summary>
/// Failed authentication and refused authorisation as structured security events: a log entry with event id
/// and reason, and the counter <c>kim.security.refusals</c> tagged by reason and tenant. No personal data: no
/// token, no user name, only the tenant of the route or token and the reason.
/// </summary>
public static class SecurityEvents
{
    public static readonly EventId AuthenticationFailed = new(4010, "SecurityAuthenticationFailed");
    public static readonly EventId AuthorizationRefused = new(4030, "SecurityAuthorizationRefused");
    public static readonly EventId RateLimited = new(4290, "SecurityRateLimited");

    // Account events of the identity provider (src/Identity): sign-in, failure, lockout, second factor, administration.
    public static readonly EventId SignedIn = new(4101, "AccountSignedIn");
    public static readonly EventId SignInFailed = new(4102, "AccountSignInFailed");
    public static readonly EventId LockedOut = new(4103, "AccountLockedOut");
    public static readonly EventId SecondFactorFailed = new(4104, "AccountSecondFactorFailed");
    public static readonly EventId SecondFactorEnabled = new(4105, "AccountSecondFactorEnabled");
    public static readonly EventId SecondFactorReset = new(4106, "AccountSecondFactorReset");
    public static readonly EventId RecoveryCodeUsed = new(4107, "AccountRecoveryCodeUsed");
    public static readonly EventId SignedOut = new(4108, "AccountSignedOut");
    public static readonly EventId PasswordChanged = new(4109, "AccountPasswordChanged");
    public static readonly EventId Administered = new(4110, "AccountAdministered");

    /// <summary>Counts and logs one account event about a user id (never a name or a password).</summary>
    public static void RecordAccount(ILogger logger, EventId eventId, string? userId, string? detail = null)
    {
        AccountEvents.Add(1, new KeyValuePair<string, object?>("event", eventId.Name));
        logger.LogWarning(eventId, "Security event {SecurityEvent} for user {UserId} {Detail}", eventId.Name, userId ?? "unknown", detail ?? "");
    }

    private static readonly Meter Meter = new(Extensions.MeterName);
    private static readonly Counter<long> Refusals = Meter.CreateCounter<long>("kim.security.refusals", description: "Refused requests by reason and tenant");
    private static readonly Counter<long> AccountEvents = Meter.CreateCounter<long>("kim.security.account_events", description: "Account events by event");

    public const string MissingToken = "missing-token";
    public const string ExpiredToken = "expired-token";
    public const string InvalidSignature = "invalid-signature";
    public const string InvalidToken = "invalid-token";
    public const string Forbidden = "forbidden";
    public const string TenantMismatch = "tenant-mismatch";
    public const string RateLimit = "rate-limited";

    /// <summary>Counts and logs one refusal.</summary>
    public static void Record(HttpContext context, EventId eventId, string reason)
    {
        var tenant = TenantOf(context);
        Refusals.Add(1, new KeyValuePair<string, object?>("reason", reason), new KeyValuePair<string, object?>("tenant", tenant));
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Kim.Security");
        logger.LogWarning(eventId, "Security event {SecurityEvent}: {Reason} for {Method} {Path} (tenant {Tenant})",
            eventId.Name, reason, context.Request.Method, context.Request.Path.Value, tenant);
    }

    /// <summary>The tenant of the token, else of the route, else "none"; never anything else of the request.</summary>
    private static string TenantOf(HttpContext context)
    {
        var fromToken = context.User.FindFirst(KimClaims.Tenant)?.Value;
        if (!string.IsNullOrEmpty(fromToken))
        {
            return fromToken;
        }

        var segments = context.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return segments.Length >= 3 && segments[0] == "api" && segments[1] == "tenants" && segments[2].Length <= 40
            && segments[2].All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            ? segments[2]
            : "none";
    }

    /// <summary>Bearer events that record every failed authentication and refused authorisation.</summary>
    public static JwtBearerEvents BearerEvents() => new()
    {
        OnChallenge = context =>
        {
            var reason = context.AuthenticateFailure switch
            {
                null => MissingToken,
                SecurityTokenExpiredException => ExpiredToken,
                SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => InvalidSignature,
                _ => InvalidToken,
            };
            Record(context.HttpContext, AuthenticationFailed, reason);
            return Task.CompletedTask;
        },
        OnForbidden = context =>
        {
            Record(context.HttpContext, AuthorizationRefused, Forbidden);
            return Task.CompletedTask;
        },
    };
}
