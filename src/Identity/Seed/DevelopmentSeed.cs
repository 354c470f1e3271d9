using Kim.Identity.Users;
using Kim.ServiceDefaults.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Kim.Identity.Seed;

/// <summary>
/// Development only: one user per role and tenant (<c>&lt;role&gt;@&lt;tenant&gt;</c>, e.g. <c>case-manager@caritas</c>), all
/// with the generated development password (<c>Identity:SeedPassword</c>). The operator exists in the coordinating
/// office only, the state reporter in the ministry (<c>state-reporter@land</c>). The coordinating office also has a second
/// coordinator and a second and third steering-group member (<c>coordinator-2@kommune</c>, <c>steering-member-2@kommune</c>,
/// <c>steering-member-3@kommune</c>), so that the four-eyes approval, a deputy's vote and adding a further member can be
/// tried. Users of roles that require a second factor set it up at
/// their first sign-in.
/// </summary>
public static class DevelopmentSeed
{
    public static async Task ApplyAsync(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ProviderOptions>>().Value;
        if (string.IsNullOrWhiteSpace(options.SeedPassword))
        {
            return;
        }

        var users = services.GetRequiredService<UserManager<KimUser>>();

        foreach (var (tenant, role, name) in SeedUsers(options))
        {
            if (await users.FindByNameAsync(name) is not null)
            {
                continue;
            }

            // "steering-member-3@kommune" is "Lenkungsgruppe 3 (kommune)".
            var number = name[role.Length..name.IndexOf('@', StringComparison.Ordinal)].TrimStart('-');
            var user = new KimUser { UserName = name, Tenant = tenant, DisplayName = $"{RoleNames.German(role)}{(number.Length > 0 ? $" {number}" : "")} ({tenant})" };
            var created = await users.CreateAsync(user, options.SeedPassword);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException($"Seed user {name}: {string.Join(" ", created.Errors.Select(e => e.Description))}");
            }

            var granted = await users.AddToRoleAsync(user, role);
            if (!granted.Succeeded)
            {
                throw new InvalidOperationException($"Seed user {name}: {string.Join(" ", granted.Errors.Select(e => e.Description))}");
            }
        }
    }

    public static IEnumerable<(string Tenant, string Role, string UserName)> SeedUsers(ProviderOptions options)
    {
        foreach (var tenant in options.Tenants)
        {
            foreach (var role in new[] { KimRoles.CaseManager, KimRoles.Coordinator, KimRoles.SteeringMember, KimRoles.CarrierAdmin, KimRoles.DataProtectionOfficer })
            {
                yield return (tenant, role, $"{role}@{tenant}");
            }

            if (tenant == options.CoordinatingTenant)
            {
                yield return (tenant, KimRoles.Operator, $"{KimRoles.Operator}@{tenant}");
                yield return (tenant, KimRoles.Coordinator, $"{KimRoles.Coordinator}-2@{tenant}");
                yield return (tenant, KimRoles.SteeringMember, $"{KimRoles.SteeringMember}-2@{tenant}");
                yield return (tenant, KimRoles.SteeringMember, $"{KimRoles.SteeringMember}-3@{tenant}");
            }
        }

        yield return (KimUser.StateTenant, KimRoles.StateReporter, $"{KimRoles.StateReporter}@{KimUser.StateTenant}");
    }
}
