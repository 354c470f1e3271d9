using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kim.Hosting.SignIn;
using Kim.ServiceDefaults.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Kim.Identity.FunctionalTests;

/// <summary>A carrier's administration manages its own tenant's users only; the office's operator creates first administrators.</summary>
[Collection(IdentityCollection.Name)]
public sealed class AdministrationTests(IdentityFixture identity)
{
    /// <summary>A carrier's administration signs in with password and second factor.</summary>
    private async Task<HttpClient> CarrierAdminAsync(string tenant) =>
        identity.AdminClient((await identity.SignInWithSecondFactorAsync($"carrier-admin@{tenant}")).AccessToken);

    private HttpClient WithDevToken(string tenant, string role) =>
        identity.AdminClient(DevTokens.Create(identity.DevSigningKey, tenant, role, "admin-test", DateTime.UtcNow, TimeSpan.FromMinutes(10)));

    [Fact]
    public async Task A_carrier_admin_creates_a_user_who_signs_in_with_the_start_password_then_disables_them()
    {
        using var admin = await CarrierAdminAsync("caritas");
        var userName = "neu." + Guid.NewGuid().ToString("N")[..8] + "@caritas";

        using var created = await admin.PostAsJsonAsync("api/identity/tenants/caritas/users", new { userName, displayName = "Neue Kollegin", roles = new[] { KimRoles.CaseManager } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("user").GetProperty("id").GetString()!;
        var password = body.GetProperty("initialPassword").GetString()!;

        using (var signIn = identity.SignIn())
        {
            var result = await identity.ValidateAsync((await signIn.SignInAsync(userName, password)).AccessToken);
            Assert.Equal("caritas", result.Claims[KimClaims.Tenant]);
            Assert.Equal(id, result.Claims[KimClaims.Subject]);
        }

        using var disabled = await admin.PostAsync($"api/identity/tenants/caritas/users/{id}/disable", null);
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        using var again = identity.SignIn();
        await Assert.ThrowsAsync<SignInRefusedException>(() => again.SignInAsync(userName, password));
        var list = await admin.GetFromJsonAsync<JsonElement>("api/identity/tenants/caritas/users");
        Assert.Contains(list.EnumerateArray(), u => u.GetProperty("id").GetString() == id && u.GetProperty("disabled").GetBoolean());
    }

    [Fact]
    public async Task A_carrier_admin_cannot_touch_another_tenant_or_grant_platform_roles()
    {
        using var admin = await CarrierAdminAsync("diakonie");

        using var otherTenant = await admin.PostAsJsonAsync("api/identity/tenants/caritas/users", new { userName = "x@caritas", displayName = "X", roles = new[] { KimRoles.CaseManager } });
        using var otherList = await admin.GetAsync("api/identity/tenants/caritas/users");
        using var operatorRole = await admin.PostAsJsonAsync("api/identity/tenants/diakonie/users", new { userName = "y@diakonie", displayName = "Y", roles = new[] { KimRoles.Operator } });

        Assert.Equal(HttpStatusCode.Forbidden, otherTenant.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherList.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, operatorRole.StatusCode);
        Assert.Equal("Eingaben unvollständig oder ungültig", (await operatorRole.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task The_office_operator_creates_a_known_tenants_first_admin_and_nothing_else()
    {
        using (var scope = identity.Services.CreateScope())
        {
            // A tenant without its administration yet.
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Kim.Identity.Users.KimUser>>();
            if (await users.FindByNameAsync("carrier-admin@awo") is { } seeded)
            {
                await users.DeleteAsync(seeded);
            }
        }

        using var office = WithDevToken("kommune", KimRoles.Operator);
        using var carrierOperator = WithDevToken("caritas", KimRoles.Operator);
        object Admin(string name) => new { userName = name, displayName = "Administration", roles = new[] { KimRoles.CarrierAdmin } };

        using var notTheOffice = await carrierOperator.PostAsJsonAsync("api/identity/tenants/awo/users", Admin("a0@awo"));
        using var caseManager = await office.PostAsJsonAsync("api/identity/tenants/awo/users", new { userName = "fm@awo", displayName = "FM", roles = new[] { KimRoles.CaseManager } });
        using var first = await office.PostAsJsonAsync("api/identity/tenants/awo/users", Admin("admin@awo"));
        using var second = await office.PostAsJsonAsync("api/identity/tenants/awo/users", Admin("admin2@awo"));
        using var existing = await office.PostAsJsonAsync("api/identity/tenants/caritas/users", Admin("admin3@caritas"));
        using var unknown = await office.PostAsJsonAsync("api/identity/tenants/nirgendwo/users", Admin("admin@nirgendwo"));
        using var ministry = await office.PostAsJsonAsync("api/identity/tenants/land/users", Admin("admin@land"));
        using var anonymous = await new HttpClient { BaseAddress = identity.Issuer }.PostAsJsonAsync("api/identity/tenants/awo/users", Admin("z@awo"));

        Assert.Equal(HttpStatusCode.Forbidden, notTheOffice.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, caseManager.StatusCode);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal("awo", (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("user").GetProperty("tenant").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, existing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, ministry.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains(identity.Log, entry => entry.Event.Name == "AccountAdministered" && entry.Message.Contains("user-created", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_carrier_admin_cannot_change_the_platforms_operator()
    {
        using var admin = await CarrierAdminAsync("kommune");
        var users = await admin.GetFromJsonAsync<JsonElement>("api/identity/tenants/kommune/users");
        var operatorId = users.EnumerateArray().Single(u => u.GetProperty("userName").GetString() == "operator@kommune").GetProperty("id").GetString();

        using var disable = await admin.PostAsync($"api/identity/tenants/kommune/users/{operatorId}/disable", null);
        using var roles = await admin.PutAsJsonAsync($"api/identity/tenants/kommune/users/{operatorId}/roles", new { roles = new[] { KimRoles.CaseManager } });
        using var reset = await admin.PostAsync($"api/identity/tenants/kommune/users/{operatorId}/reset-second-factor", null);

        Assert.Equal(HttpStatusCode.Forbidden, disable.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, roles.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, reset.StatusCode);
    }

    [Fact]
    public async Task A_role_change_ends_the_refresh_and_a_role_that_needs_a_second_factor_gets_it_set_up_first()
    {
        using var admin = await CarrierAdminAsync("kommune");
        using var created = await admin.PostAsJsonAsync("api/identity/tenants/kommune/users", new { userName = "wechsel@kommune", displayName = "Wechsel", roles = new[] { KimRoles.CaseManager } });
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var password = body.GetProperty("initialPassword").GetString()!;
        using var signIn = identity.SignIn();
        var tokens = await signIn.SignInAsync("wechsel@kommune", password);

        using var changed = await admin.PutAsJsonAsync($"api/identity/tenants/kommune/users/{body.GetProperty("user").GetProperty("id").GetString()}/roles", new { roles = new[] { KimRoles.Coordinator } });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        await Assert.ThrowsAsync<SignInRefusedException>(() => signIn.RefreshAsync(tokens.RefreshToken!));
        using var again = identity.SignIn();
        var enroll = await Assert.ThrowsAsync<SignInRefusedException>(() => again.SignInAsync("wechsel@kommune", password));
        Assert.Contains("EnableAuthenticator", enroll.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resetting_the_second_factor_makes_the_person_set_it_up_again()
    {
        using var admin = await CarrierAdminAsync("kommune");
        using var created = await admin.PostAsJsonAsync("api/identity/tenants/kommune/users", new { userName = "dsb2@kommune", displayName = "Datenschutz", roles = new[] { KimRoles.DataProtectionOfficer } });
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var (id, password) = (body.GetProperty("user").GetProperty("id").GetString()!, body.GetProperty("initialPassword").GetString()!);
        await SecondFactorTests.EnrollAsync(identity, "dsb2@kommune", password);
        var before = await admin.GetFromJsonAsync<JsonElement>("api/identity/tenants/kommune/users");
        Assert.Contains(before.EnumerateArray(), u => u.GetProperty("id").GetString() == id && u.GetProperty("secondFactor").GetBoolean());

        using var reset = await admin.PostAsync($"api/identity/tenants/kommune/users/{id}/reset-second-factor", null);

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.False((await reset.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secondFactor").GetBoolean());
        using var signIn = identity.SignIn();
        var refused = await Assert.ThrowsAsync<SignInRefusedException>(() => signIn.SignInAsync("dsb2@kommune", password, () => "123456"));
        Assert.Contains("EnableAuthenticator", refused.Message, StringComparison.Ordinal);
        Assert.Contains(identity.Log, entry => entry.Event.Name == "AccountSecondFactorReset");
    }

    [Fact]
    public async Task Case_workers_list_the_case_managers_and_coordinators_of_their_own_tenant_only()
    {
        using var caseManager = WithDevToken("caritas", KimRoles.CaseManager);
        var colleagues = (await caseManager.GetFromJsonAsync<JsonElement>("api/identity/tenants/caritas/colleagues")).EnumerateArray().ToList();

        // Only case workers are listed, with only their case-work roles.
        var roles = colleagues.SelectMany(c => c.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!)).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal([KimRoles.CaseManager, KimRoles.Coordinator], roles);
        Assert.Contains(colleagues, c => c.GetProperty("roles").EnumerateArray().Any(r => r.GetString() == KimRoles.CaseManager));
        Assert.Contains(colleagues, c => c.GetProperty("roles").EnumerateArray().Any(r => r.GetString() == KimRoles.Coordinator));
        Assert.All(colleagues, c => Assert.False(string.IsNullOrWhiteSpace(c.GetProperty("displayName").GetString())));

        using var otherTenant = await caseManager.GetAsync("api/identity/tenants/kommune/colleagues");
        using var officer = await WithDevToken("caritas", KimRoles.DataProtectionOfficer).GetAsync("api/identity/tenants/caritas/colleagues");
        Assert.Equal(HttpStatusCode.Forbidden, otherTenant.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, officer.StatusCode);
    }

    [Fact]
    public async Task The_offices_coordinators_choose_steering_members_from_the_people_of_every_tenant_with_that_role()
    {
        using var coordinator = WithDevToken("kommune", KimRoles.Coordinator);
        var people = (await coordinator.GetFromJsonAsync<JsonElement>("api/identity/steering-members")).EnumerateArray().ToList();

        // Every seeded steering-group member of every tenant, and nobody else.
        var names = people.Select(p => $"{p.GetProperty("tenant").GetString()}:{p.GetProperty("displayName").GetString()}").ToList();
        Assert.Contains(names, n => n.StartsWith("caritas:", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("kommune:", StringComparison.Ordinal));
        Assert.All(people, p => Assert.Contains("Lenkungsgruppe", p.GetProperty("displayName").GetString(), StringComparison.Ordinal));
        Assert.Equal(people.Count, people.Select(p => p.GetProperty("id").GetString()).Distinct().Count());

        using var carrierCoordinator = await WithDevToken("caritas", KimRoles.Coordinator).GetAsync("api/identity/steering-members");
        using var steeringMember = await WithDevToken("kommune", KimRoles.SteeringMember).GetAsync("api/identity/steering-members");
        Assert.Equal(HttpStatusCode.Forbidden, carrierCoordinator.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, steeringMember.StatusCode);
    }
}
