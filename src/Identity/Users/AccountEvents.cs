using Microsoft.Extensions.Logging;

namespace Kim.Identity.Users;

/// <summary>
/// Sign-ins, failures, lockouts and second-factor changes as security events: a structured log entry with the user's
/// id (never a name or a password) and a counter by event.
/// </summary>
public sealed class AccountEvents(ILogger<AccountEvents> logger)
{
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

    private static readonly System.Diagnostics.Metrics.Meter Meter = new(Kim.ServiceDefaults.Extensions.MeterName);
    private static readonly System.Diagnostics.Metrics.Counter<long> Count = Meter.CreateCounter<long>("kim.identity.account_events", description: "Account security events by event");

    /// <summary>Logs one event about <paramref name="userId"/> ("unknown" when the name given matched no user).</summary>
    public void Record(EventId eventId, string? userId, string? detail = null)
    {
        Count.Add(1, new KeyValuePair<string, object?>("event", eventId.Name));
        logger.LogWarning(eventId, "Security event {SecurityEvent} for user {UserId} {Detail}", eventId.Name, userId ?? "unknown", detail ?? "");
    }
}
