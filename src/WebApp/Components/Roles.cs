using System.Security.Claims;
using Kim.ServiceDefaults.Security;

namespace Kim.WebApp.Components;

/// <summary>Role names as people read them, and which roles do case work.</summary>
public static class Roles
{
    public static bool WorksOnCases(ClaimsPrincipal user) =>
        user.IsInRole(KimRoles.CaseManager) || user.IsInRole(KimRoles.Coordinator);

    public static string Describe(ClaimsPrincipal user) =>
        string.Join(", ", user.FindAll(KimClaims.Role).Select(role => Name(role.Value)));

    public static string Name(string role) => role switch
    {
        KimRoles.CaseManager => "Case Management",
        KimRoles.Coordinator => "Koordination",
        KimRoles.SteeringMember => "Lenkungsgruppe",
        KimRoles.CarrierAdmin => "Administration Träger",
        KimRoles.StateReporter => "Landesberichterstattung",
        KimRoles.DataProtectionOfficer => "Datenschutz",
        KimRoles.Operator => "Betrieb",
        _ => role,
    };
}
