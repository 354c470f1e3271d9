using System.Security.Claims;
using Kim.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;

namespace Kim.ReportingService.State;

/// <summary>
/// Who reaches the state API. State reporters belong to the ministry (tenant <c>land</c>). A municipality reaches it only
/// through its machine client, whose token names the municipality (<c>municipality</c>, its AGS key): such a token submits
/// that municipality's submission and reads nothing. A ministry person's token names no municipality.
/// </summary>
public static class StateAccess
{
    public const string MinistryTenant = "land";
    public const string MunicipalityClaim = KimClaims.Municipality;

    /// <summary>Every route: role <c>state-reporter</c>, exactly one tenant, the ministry's, and at most one municipality.</summary>
    public static void StateReporter(AuthorizationPolicyBuilder policy) =>
        policy.RequireRole(KimRoles.StateReporter).RequireAssertion(context =>
            KimClaims.IsOfTenant(context.User, MinistryTenant)
            && context.User.FindAll(MunicipalityClaim).Count() <= 1);

    /// <summary>Reading the state's data: people of the ministry only, no municipality's machine client.</summary>
    public static void MinistryPerson(AuthorizationPolicyBuilder policy) =>
        policy.RequireAssertion(context => !context.User.HasClaim(c => c.Type == MunicipalityClaim));

    /// <summary>The municipality a machine client submits for; <c>null</c> for a ministry person.</summary>
    public static string? Municipality(ClaimsPrincipal user) => user.FindFirst(MunicipalityClaim)?.Value;
}
