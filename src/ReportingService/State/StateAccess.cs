using System.Security.Claims;
using Kim.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;

namespace Kim.ReportingService.State;

/// <summary>
/// Who reaches the state API. State reporters belong to the ministry (tenant <c>land</c>). A municipality reaches it only
/// through its machine client, whose token names the municipality (<c>municipality</c>, its AGS key): such a token submits
/// that municipality's submission and reads nothing. A ministry person's token is a person's (not a machine client's) and
/// names no municipality.
/// </summary>
public static class StateAccess
{
    public const string MinistryTenant = "land";
    public const string MunicipalityClaim = KimClaims.Municipality;

    /// <summary>The client a token was issued to (RFC 9068); the provider writes it into every access token.</summary>
    public const string ClientIdClaim = "client_id";

    /// <summary>
    /// Every route: role <c>state-reporter</c>, exactly one tenant, the ministry's, at most one municipality, and a
    /// machine client only with its municipality.
    /// </summary>
    public static void StateReporter(AuthorizationPolicyBuilder policy) =>
        policy.RequireRole(KimRoles.StateReporter).RequireAssertion(context =>
            KimClaims.IsOfTenant(context.User, MinistryTenant)
            && context.User.FindAll(MunicipalityClaim).Count() is var municipalities
            && (municipalities == 1 || (municipalities == 0 && !IsMachineClient(context.User))));

    /// <summary>Reading the state's data: people of the ministry only, no machine client.</summary>
    public static void MinistryPerson(AuthorizationPolicyBuilder policy) =>
        policy.RequireAssertion(context => !context.User.HasClaim(c => c.Type == MunicipalityClaim) && !IsMachineClient(context.User));

    /// <summary>
    /// A machine client's token (client credentials): the provider makes the client id its subject, so <c>sub</c> equals
    /// <c>client_id</c>; a person's token names the person as subject and the front end as client.
    /// </summary>
    public static bool IsMachineClient(ClaimsPrincipal user) =>
        user.FindFirst(KimClaims.Subject)?.Value is { Length: > 0 } subject
        && user.FindAll(ClientIdClaim).Any(c => string.Equals(c.Value, subject, StringComparison.Ordinal));

    /// <summary>The municipality a machine client submits for; <c>null</c> for a ministry person.</summary>
    public static string? Municipality(ClaimsPrincipal user) => user.FindFirst(MunicipalityClaim)?.Value;
}
