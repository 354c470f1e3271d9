namespace Kim.ServiceDefaults.Security;

/// <summary>Claim types KIM reads from a validated token.</summary>
public static class KimClaims
{
    public const string Subject = "sub";
    public const string Tenant = "tenant";
    public const string Role = "role";
}

/// <summary>The roles of DESIGN §6.</summary>
public static class KimRoles
{
    public const string CaseManager = "case-manager";
    public const string Coordinator = "coordinator";
    public const string SteeringMember = "steering-member";
    public const string CarrierAdmin = "carrier-admin";
    public const string StateReporter = "state-reporter";
    public const string DataProtectionOfficer = "data-protection-officer";
    public const string Operator = "operator";

    public static readonly IReadOnlyList<string> All =
        [CaseManager, Coordinator, SteeringMember, CarrierAdmin, StateReporter, DataProtectionOfficer, Operator];

    /// <summary>One of the platform's roles, exactly as written (no case folding, no trimming); anything else grants nothing.</summary>
    public static bool IsPlatformRole(string? role) => role is not null && All.Contains(role, StringComparer.Ordinal);
}
