using Kim.ServiceDefaults.Security;

namespace Kim.Identity.Users;

/// <summary>
/// The provider's security events (<see cref="SecurityEvents"/>, category <c>Kim.Security</c>): sign-ins, failures,
/// lockouts, second-factor changes and administration, each with the user's id, never a name or a password.
/// </summary>
public sealed class AccountEvents(ILoggerFactory loggers)
{
    public static readonly EventId SignedIn = SecurityEvents.SignedIn;
    public static readonly EventId SignInFailed = SecurityEvents.SignInFailed;
    public static readonly EventId LockedOut = SecurityEvents.LockedOut;
    public static readonly EventId SecondFactorFailed = SecurityEvents.SecondFactorFailed;
    public static readonly EventId SecondFactorEnabled = SecurityEvents.SecondFactorEnabled;
    public static readonly EventId SecondFactorReset = SecurityEvents.SecondFactorReset;
    public static readonly EventId RecoveryCodeUsed = SecurityEvents.RecoveryCodeUsed;
    public static readonly EventId SignedOut = SecurityEvents.SignedOut;
    public static readonly EventId PasswordChanged = SecurityEvents.PasswordChanged;
    public static readonly EventId Administered = SecurityEvents.Administered;

    private readonly ILogger logger = loggers.CreateLogger("Kim.Security");

    /// <summary>Logs one event about <paramref name="userId"/> ("unknown" when the name given matched no user).</summary>
    public void Record(EventId eventId, string? userId, string? detail = null) => SecurityEvents.RecordAccount(logger, eventId, userId, detail);
}
