using Kim.ServiceDefaults.Security;

namespace Kim.Identity.Users;

/// <summary>The roles in German, and which of them need a second factor.</summary>
public static class RoleNames
{
    /// <summary>
    /// Roles that see or administer much personal data or the whole platform, and the carrier's administration that
    /// creates such accounts: TOTP required (ASVS 6.3.3).
    /// </summary>
    public static readonly IReadOnlySet<string> SecondFactorRequired = new HashSet<string>(StringComparer.Ordinal)
    {
        KimRoles.DataProtectionOfficer, KimRoles.Operator, KimRoles.Coordinator, KimRoles.StateReporter, KimRoles.CarrierAdmin,
    };

    public static string German(string role) => role switch
    {
        KimRoles.CaseManager => "Fallmanagement",
        KimRoles.Coordinator => "Koordination",
        KimRoles.SteeringMember => "Lenkungsgruppe",
        KimRoles.CarrierAdmin => "Administration des Trägers",
        KimRoles.StateReporter => "Landesberichterstattung",
        KimRoles.DataProtectionOfficer => "Datenschutz",
        KimRoles.Operator => "Betrieb",
        _ => role,
    };

    public static bool NeedsSecondFactor(IEnumerable<string> roles) => roles.Any(SecondFactorRequired.Contains);
}

/// <summary>The short-lived cookie of a person whose password was right but who must still set up their second factor.</summary>
public static class Enrollment
{
    public const string Scheme = "Kim.Enrollment";
}
