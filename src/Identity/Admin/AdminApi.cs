using System.Security.Claims;
using System.Security.Cryptography;
using Kim.Identity.Infrastructure;
using Kim.Identity.Users;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kim.Identity.Admin;

public sealed record UserView(string Id, string UserName, string DisplayName, string Tenant, IReadOnlyList<string> Roles, bool Disabled, bool SecondFactor, bool LockedOut);

public sealed record CreateUser(string? UserName, string? DisplayName, IReadOnlyList<string>? Roles);

/// <summary>The new user, with the start password shown this once (to hand over; the person changes it on "Mein Konto").</summary>
public sealed record CreatedUser(UserView User, string InitialPassword);

public sealed record SetRoles(IReadOnlyList<string>? Roles);

/// <summary>A colleague in case work: the user id that cases name as responsible or deputy, and the name people read.</summary>
public sealed record Colleague(string Id, string DisplayName, IReadOnlyList<string> Roles);

public sealed record SteeringPerson(string Id, string DisplayName, string Tenant);

/// <summary>
/// Account administration. A <c>carrier-admin</c> manages the users of their own tenant only (create, roles, disable,
/// reset the second factor); an <c>operator</c> of the coordinating office creates the first <c>carrier-admin</c> of
/// any tenant. Every change is audited. Nobody grants <c>operator</c> or <c>state-reporter</c> here: those are set up
/// by the platform's operators in configuration.
/// </summary>
public static class AdminApi
{
    private static readonly HashSet<string> GrantableByCarrierAdmin = new(StringComparer.Ordinal)
    {
        KimRoles.CaseManager, KimRoles.Coordinator, KimRoles.SteeringMember, KimRoles.CarrierAdmin, KimRoles.DataProtectionOfficer,
    };

    public static void MapAdminApi(this WebApplication app)
    {
        var users = app.MapGroup("/api/identity/tenants/{tenant}/users").RequireAuthorization(IdentityProvider.AdminPolicy);
        users.MapGet("", ListAsync);
        users.MapPost("", CreateAsync);
        users.MapPut("/{id}/roles", SetRolesAsync);
        users.MapPost("/{id}/disable", (string tenant, string id, ClaimsPrincipal actor, UserManager<KimUser> manager, IdentityDb db, AccountEvents events) =>
            SetDisabledAsync(tenant, id, true, actor, manager, db, events));
        users.MapPost("/{id}/enable", (string tenant, string id, ClaimsPrincipal actor, UserManager<KimUser> manager, IdentityDb db, AccountEvents events) =>
            SetDisabledAsync(tenant, id, false, actor, manager, db, events));
        users.MapPost("/{id}/reset-second-factor", ResetSecondFactorAsync);

        app.MapGet("/api/identity/tenants/{tenant}/colleagues", ColleaguesAsync).RequireAuthorization(IdentityProvider.AdminPolicy);
        app.MapGet("/api/identity/steering-members", SteeringMembersAsync).RequireAuthorization(IdentityProvider.AdminPolicy);
    }

    /// <summary>
    /// The people of every tenant who hold the steering-group role and can sign in: whom the coordinating office's
    /// coordinators choose as members and deputies of the steering group. Only for those coordinators.
    /// </summary>
    private static async Task<Results<Ok<List<SteeringPerson>>, ProblemHttpResult>> SteeringMembersAsync(
        ClaimsPrincipal actor, UserManager<KimUser> manager, IOptions<ProviderOptions> options)
    {
        if (!actor.HasClaim(KimClaims.Role, KimRoles.Coordinator) || !KimClaims.IsOfTenant(actor, options.Value.CoordinatingTenant))
        {
            return Forbidden();
        }

        return TypedResults.Ok((await manager.GetUsersInRoleAsync(KimRoles.SteeringMember)).Where(u => !u.Disabled)
            .OrderBy(u => u.Tenant, StringComparer.Ordinal).ThenBy(u => u.DisplayName, StringComparer.CurrentCulture)
            .Select(u => new SteeringPerson(u.Id, u.DisplayName, u.Tenant)).ToList());
    }

    /// <summary>
    /// The case managers and coordinators of the caller's own tenant who can sign in: whom a case is handed over to,
    /// who deputises, and the names shown for the user ids in cases. Only for case workers of that tenant.
    /// </summary>
    private static async Task<Results<Ok<List<Colleague>>, ProblemHttpResult>> ColleaguesAsync(string tenant, ClaimsPrincipal actor, UserManager<KimUser> manager)
    {
        var caseWorker = actor.HasClaim(KimClaims.Role, KimRoles.CaseManager) || actor.HasClaim(KimClaims.Role, KimRoles.Coordinator);
        if (!caseWorker || !KimClaims.IsOfTenant(actor, tenant))
        {
            return Forbidden();
        }

        var colleagues = new List<Colleague>();
        foreach (var user in await manager.Users.Where(u => u.Tenant == tenant && !u.Disabled).OrderBy(u => u.DisplayName).ToListAsync())
        {
            var roles = (await manager.GetRolesAsync(user)).Where(r => r is KimRoles.CaseManager or KimRoles.Coordinator).Order(StringComparer.Ordinal).ToList();
            if (roles.Count > 0)
            {
                colleagues.Add(new Colleague(user.Id, user.DisplayName, roles));
            }
        }

        return TypedResults.Ok(colleagues);
    }

    private static async Task<Results<Ok<List<UserView>>, ProblemHttpResult>> ListAsync(string tenant, ClaimsPrincipal actor, UserManager<KimUser> manager)
    {
        if (!IsCarrierAdminOf(actor, tenant))
        {
            return Forbidden();
        }

        var views = new List<UserView>();
        foreach (var user in await manager.Users.Where(u => u.Tenant == tenant).OrderBy(u => u.UserName).ToListAsync())
        {
            views.Add(await ViewAsync(manager, user));
        }

        return TypedResults.Ok(views);
    }

    private static async Task<Results<Created<CreatedUser>, ProblemHttpResult>> CreateAsync(
        string tenant, CreateUser request, ClaimsPrincipal actor, UserManager<KimUser> manager, IdentityDb db, AccountEvents events, IOptions<ProviderOptions> options)
    {
        var roles = request.Roles ?? [];
        var operatorCreatesFirstAdmin = IsOperatorOfOffice(actor, options.Value) && roles.Count == 1 && roles[0] == KimRoles.CarrierAdmin
            && !(await manager.GetUsersInRoleAsync(KimRoles.CarrierAdmin)).Any(u => u.Tenant == tenant);
        if (!IsCarrierAdminOf(actor, tenant) && !operatorCreatesFirstAdmin)
        {
            return Forbidden();
        }

        var errors = new Dictionary<string, string[]>();
        var known = options.Value.Tenants;
        if (!TenantNames.IsValid(tenant) || tenant == KimUser.StateTenant || (known.Count > 0 && !known.Contains(tenant)))
        {
            errors["tenant"] = ["Diesen Mandanten gibt es auf der Plattform nicht."];
        }

        if (string.IsNullOrWhiteSpace(request.UserName))
        {
            errors["userName"] = ["Bitte einen Benutzernamen angeben."];
        }

        if (string.IsNullOrWhiteSpace(request.DisplayName) || request.DisplayName.Length > 200)
        {
            errors["displayName"] = ["Bitte einen Anzeigenamen mit höchstens 200 Zeichen angeben."];
        }

        if (roles.Count == 0 || roles.Any(r => !GrantableByCarrierAdmin.Contains(r)))
        {
            errors["roles"] = [$"Mindestens eine Rolle aus: {string.Join(", ", GrantableByCarrierAdmin)}."];
        }

        if (errors.Count > 0)
        {
            return Validation(errors);
        }

        var user = new KimUser { UserName = request.UserName!.Trim().ToLowerInvariant(), Tenant = tenant, DisplayName = request.DisplayName!.Trim() };
        var password = InitialPassword();
        var created = await manager.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return created.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateUserName))
                ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Benutzername vergeben", detail: created.Errors.First().Description, type: ProblemTypes.Conflict)
                : Validation(new() { ["userName"] = [.. created.Errors.Select(e => e.Description)] });
        }

        var granted = await manager.AddToRolesAsync(user, roles);
        if (!granted.Succeeded)
        {
            await manager.DeleteAsync(user);
            throw new InvalidOperationException("Roles could not be granted: " + string.Join(" ", granted.Errors.Select(e => e.Code)));
        }

        await AuditAsync(db, events, actor, "user-created", user, string.Join(",", roles));
        return TypedResults.Created($"/api/identity/tenants/{tenant}/users/{user.Id}", new CreatedUser(await ViewAsync(manager, user), password));
    }

    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> SetRolesAsync(
        string tenant, string id, SetRoles request, ClaimsPrincipal actor, UserManager<KimUser> manager, IdentityDb db, AccountEvents events)
    {
        var roles = request.Roles ?? [];
        var (user, refused) = await TargetAsync(tenant, id, actor, manager);
        if (refused is not null)
        {
            return refused;
        }

        if (roles.Count == 0 || roles.Any(r => !GrantableByCarrierAdmin.Contains(r)))
        {
            return Validation(new() { ["roles"] = [$"Mindestens eine Rolle aus: {string.Join(", ", GrantableByCarrierAdmin)}."] });
        }

        var current = await manager.GetRolesAsync(user);
        await manager.RemoveFromRolesAsync(user, current.Except(roles));
        await manager.AddToRolesAsync(user, roles.Except(current));
        await manager.UpdateSecurityStampAsync(user);
        await AuditAsync(db, events, actor, "roles-changed", user, string.Join(",", roles));
        return TypedResults.Ok(await ViewAsync(manager, user));
    }

    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> SetDisabledAsync(
        string tenant, string id, bool disabled, ClaimsPrincipal actor, UserManager<KimUser> manager, IdentityDb db, AccountEvents events)
    {
        var (user, refused) = await TargetAsync(tenant, id, actor, manager);
        if (refused is not null)
        {
            return refused;
        }

        user.Disabled = disabled;
        await manager.UpdateAsync(user);
        // Ends every session: the cookie's security stamp no longer matches.
        await manager.UpdateSecurityStampAsync(user);
        await AuditAsync(db, events, actor, disabled ? "user-disabled" : "user-enabled", user, null);
        return TypedResults.Ok(await ViewAsync(manager, user));
    }

    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> ResetSecondFactorAsync(
        string tenant, string id, ClaimsPrincipal actor, UserManager<KimUser> manager, IdentityDb db, AccountEvents events)
    {
        var (user, refused) = await TargetAsync(tenant, id, actor, manager);
        if (refused is not null)
        {
            return refused;
        }

        await manager.SetTwoFactorEnabledAsync(user, false);
        await manager.ResetAuthenticatorKeyAsync(user);
        await manager.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
        events.Record(AccountEvents.SecondFactorReset, user.Id);
        await AuditAsync(db, events, actor, "second-factor-reset", user, null);
        return TypedResults.Ok(await ViewAsync(manager, user));
    }

    private static bool IsCarrierAdminOf(ClaimsPrincipal actor, string tenant) =>
        actor.HasClaim(KimClaims.Role, KimRoles.CarrierAdmin) && KimClaims.IsOfTenant(actor, tenant);

    private static bool IsOperatorOfOffice(ClaimsPrincipal actor, ProviderOptions options) =>
        actor.HasClaim(KimClaims.Role, KimRoles.Operator) && KimClaims.IsOfTenant(actor, options.CoordinatingTenant);

    /// <summary>
    /// The user <paramref name="id"/> of <paramref name="tenant"/> as the target of a carrier's administration, or why not:
    /// not its administration (403), no such user there (404), a user with a platform role (403).
    /// </summary>
    private static async Task<(KimUser User, ProblemHttpResult? Refused)> TargetAsync(string tenant, string id, ClaimsPrincipal actor, UserManager<KimUser> manager)
    {
        if (!IsCarrierAdminOf(actor, tenant))
        {
            return (null!, Forbidden());
        }

        var user = await FindAsync(manager, tenant, id);
        if (user is null)
        {
            return (null!, NotFound());
        }

        return await HoldsPlatformRoleAsync(manager, user) ? (user, Forbidden()) : (user, null);
    }

    /// <summary>Operators and state reporters are the platform's, not the carrier's: a carrier's administration does not touch them.</summary>
    private static async Task<bool> HoldsPlatformRoleAsync(UserManager<KimUser> manager, KimUser user) =>
        (await manager.GetRolesAsync(user)).Any(role => !GrantableByCarrierAdmin.Contains(role));

    private static async Task<KimUser?> FindAsync(UserManager<KimUser> manager, string tenant, string id) =>
        await manager.FindByIdAsync(id) is { } user && user.Tenant == tenant ? user : null;

    private static async Task<UserView> ViewAsync(UserManager<KimUser> manager, KimUser user) =>
        new(user.Id, user.UserName!, user.DisplayName, user.Tenant, [.. await manager.GetRolesAsync(user)], user.Disabled, user.TwoFactorEnabled, await manager.IsLockedOutAsync(user));

    private static async Task AuditAsync(IdentityDb db, AccountEvents events, ClaimsPrincipal actor, string action, KimUser user, string? detail)
    {
        db.AccountAudit.Add(new AccountAuditEntry
        {
            At = DateTime.UtcNow,
            Actor = actor.FindFirstValue(KimClaims.Subject) ?? "unknown",
            Action = action,
            SubjectUser = user.Id,
            Tenant = user.Tenant,
            Detail = detail,
        });
        await db.SaveChangesAsync();
        events.Record(AccountEvents.Administered, user.Id, action);
    }

    /// <summary>20 random characters from an alphabet without look-alikes: enough entropy, easy to type once.</summary>
    private static string InitialPassword() => RandomNumberGenerator.GetString("abcdefghjkmnpqrstuvwxyz23456789", 20);

    private static ProblemHttpResult Forbidden() => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Keine Berechtigung",
        detail: "Benutzerkonten verwaltet nur die Administration des eigenen Trägers; die erste Administration eines Mandanten legt der Betrieb der koordinierenden Stelle an.", type: ProblemTypes.Forbidden);

    private static ProblemHttpResult NotFound() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Benutzer nicht gefunden", type: ProblemTypes.NotFound);

    private static ProblemHttpResult Validation(Dictionary<string, string[]> errors) => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest,
        title: "Eingaben unvollständig oder ungültig", type: ProblemTypes.Validation, extensions: new Dictionary<string, object?> { ["errors"] = errors });
}
