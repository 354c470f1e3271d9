using System.Security.Claims;

namespace Kim.ServiceDefaults.Security;

/// <summary>Claim types KIM reads from a validated token.</summary>
public static class KimClaims
{
    public const string Subject = "sub";
    public const string Tenant = "tenant";
    public const string Role = "role";

    /// <summary>The AGS key of the municipality whose machine client the token belongs to (state submissions).</summary>
    public const string Municipality = "municipality";

    /// <summary>The token's one tenant; null when it names none or several (which then matches no tenant).</summary>
    public static string? SingleTenant(ClaimsPrincipal user)
    {
        string? tenant = null;
        foreach (var claim in user.FindAll(Tenant))
        {
            if (tenant is not null)
            {
                return null;
            }

            tenant = claim.Value;
        }

        return tenant;
    }

    /// <summary>Whether the token names exactly this one tenant, compared exactly (ordinal).</summary>
    public static bool IsOfTenant(ClaimsPrincipal user, string tenant) =>
        tenant.Length > 0 && string.Equals(SingleTenant(user), tenant, StringComparison.Ordinal);
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

/// <summary>
/// Who keeps the network's records (organisations, steering group, planning): coordinators whose one tenant is the
/// coordinating office or a tenant it delegated to, matched exactly; nobody when no office is configured. The
/// NetworkService enforces it, the web front end offers its forms by it.
/// </summary>
public static class NetworkKeepers
{
    public static bool Includes(string? tenant, string coordinatingTenant, IEnumerable<string> delegatedTenants) =>
        !string.IsNullOrEmpty(tenant) && coordinatingTenant.Length > 0
        && (string.Equals(tenant, coordinatingTenant, StringComparison.Ordinal) || delegatedTenants.Contains(tenant, StringComparer.Ordinal));

    public static bool IsKeeper(ClaimsPrincipal user, string coordinatingTenant, IEnumerable<string> delegatedTenants) =>
        user.HasClaim(KimClaims.Role, KimRoles.Coordinator) && Includes(KimClaims.SingleTenant(user), coordinatingTenant, delegatedTenants);
}
