using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Kim.Hosting.SignIn;
using Kim.ServiceDefaults.Security;
using Xunit.Abstractions;

namespace Kim.Identity.FunctionalTests;

[Collection(IdentityCollection.Name)]
public sealed class SignInFlowTests(IdentityFixture identity, ITestOutputHelper output)
{
    [Fact]
    public async Task Discovery_names_the_issuer_the_endpoints_and_published_keys()
    {
        using var http = new HttpClient();
        var discovery = JsonDocument.Parse(await http.GetStringAsync(new Uri(identity.Issuer, ".well-known/openid-configuration"))).RootElement;

        Assert.Equal(identity.Issuer.ToString(), discovery.GetProperty("issuer").GetString());
        Assert.Equal(new Uri(identity.Issuer, "connect/authorize").ToString(), discovery.GetProperty("authorization_endpoint").GetString());
        Assert.Contains("S256", discovery.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(m => m.GetString()));
        Assert.Contains("client_credentials", discovery.GetProperty("grant_types_supported").EnumerateArray().Select(m => m.GetString()));
        Assert.NotEmpty((await identity.KeysAsync()).GetSigningKeys());
    }

    [Fact]
    public async Task Code_flow_with_pkce_issues_a_signed_token_with_subject_tenant_role_and_name_and_refresh_renews_it()
    {
        using var signIn = identity.SignIn();
        var watch = Stopwatch.StartNew();
        var tokens = await signIn.SignInAsync("case-manager@caritas", identity.SeedPassword);
        Kim.Testing.TestFigures.Report(output, "figures.txt", $"sign-in, code flow with PKCE against the provider (authorize, form, code, token): {watch.ElapsedMilliseconds} ms");

        var result = await identity.ValidateAsync(tokens.AccessToken);
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("caritas", result.Claims[KimClaims.Tenant]);
        Assert.Equal("case-manager", result.Claims[KimClaims.Role]);
        Assert.Matches("^[0-9a-f-]{36}$", (string)result.Claims[KimClaims.Subject]);
        Assert.Equal("Fallmanagement (caritas)", result.Claims["name"]);
        Assert.NotNull(tokens.RefreshToken);

        var renewed = await signIn.RefreshAsync(tokens.RefreshToken!);
        var renewedResult = await identity.ValidateAsync(renewed.AccessToken);
        Assert.True(renewedResult.IsValid, renewedResult.Exception?.Message);
        Assert.Equal(result.Claims[KimClaims.Subject], renewedResult.Claims[KimClaims.Subject]);
        Assert.NotEqual(tokens.AccessToken, renewed.AccessToken);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_in_german_and_logged_without_the_password()
    {
        using var signIn = identity.SignIn();
        const string wrong = "ein-falsches-passwort-123";

        var refused = await Assert.ThrowsAsync<SignInRefusedException>(() => signIn.SignInAsync("case-manager@kommune", wrong));

        Assert.Equal("Benutzername oder Passwort ist falsch.", refused.Message);
        Assert.Contains(identity.Log, entry => entry.Event.Name == "AccountSignInFailed");
        Assert.DoesNotContain(identity.Log, entry => entry.Message.Contains(wrong, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_authorization_request_without_pkce_gets_no_code()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var url = new Uri(identity.Issuer, $"connect/authorize?client_id=kim-cli&redirect_uri={Uri.EscapeDataString("http://127.0.0.1:7890/callback")}&response_type=code&scope=openid");

        using var response = await http.GetAsync(url);

        var location = response.Headers.Location?.ToString() ?? "";
        Assert.DoesNotContain("code=", location, StringComparison.Ordinal);
        Assert.True(location.Contains("error=invalid_request", StringComparison.Ordinal) || response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {location}");
    }

    [Fact]
    public async Task Client_credentials_give_a_machine_client_its_registered_tenant_role_and_municipality_and_a_wrong_secret_nothing()
    {
        var granted = await identity.ClientCredentialsAsync(IdentityFixture.MachineClient, IdentityFixture.MachineSecret);
        var result = await identity.ValidateAsync(granted.GetProperty("access_token").GetString()!);

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(IdentityFixture.MachineClient, result.Claims[KimClaims.Subject]);
        Assert.Equal("land", result.Claims[KimClaims.Tenant]);
        Assert.Equal(KimRoles.StateReporter, result.Claims[KimClaims.Role]);
        // The state API accepts from this token the submission of this one municipality.
        Assert.Equal(IdentityFixture.MachineMunicipality, result.Claims["municipality"]);

        var refused = await identity.ClientCredentialsAsync(IdentityFixture.MachineClient, "wrong");
        Assert.Equal("invalid_client", refused.GetProperty("error").GetString());
        Assert.False(refused.TryGetProperty("access_token", out _));
    }

    [Fact]
    public async Task A_machine_client_token_names_the_client_as_subject_and_client_a_persons_token_the_person_and_the_front_end()
    {
        // The state API tells a machine client from a person by this: sub equals client_id for client credentials only.
        var granted = await identity.ClientCredentialsAsync(IdentityFixture.MachineClient, IdentityFixture.MachineSecret);
        var machine = await identity.ValidateAsync(granted.GetProperty("access_token").GetString()!);
        Assert.True(machine.IsValid, machine.Exception?.Message);
        Assert.Equal(IdentityFixture.MachineClient, machine.Claims["client_id"]);
        Assert.Equal(machine.Claims["client_id"], machine.Claims[KimClaims.Subject]);

        using var signIn = identity.SignIn();
        var person = await identity.ValidateAsync((await signIn.SignInAsync("case-manager@caritas", identity.SeedPassword)).AccessToken);
        Assert.True(person.IsValid, person.Exception?.Message);
        Assert.Equal(Kim.Hosting.CliClient.Id, person.Claims["client_id"]);
        Assert.NotEqual(person.Claims["client_id"], person.Claims[KimClaims.Subject]);
        Assert.False(person.Claims.ContainsKey(KimClaims.Municipality));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("5158")]
    [InlineData("05158 ")]
    public void A_machine_client_with_the_role_state_reporter_but_no_municipality_stops_the_start(string? municipality)
    {
        var error = Assert.ThrowsAny<Exception>(() =>
        {
            using var started = identity.Start(Kim.Hosting.Broker.LocalRabbitMqNode.FreePort(), new Dictionary<string, string?>
            {
                ["Identity:Clients:1:Municipality"] = municipality,
            });
        });

        var messages = string.Join(" | ", Chain(error).Select(e => e.Message));
        Assert.Contains($"'{IdentityFixture.MachineClient}' has the role {KimRoles.StateReporter} but no Municipality", messages, StringComparison.Ordinal);
        Assert.Contains(Chain(error), e => e is Microsoft.Extensions.Options.OptionsValidationException);

        static IEnumerable<Exception> Chain(Exception e) => e is AggregateException aggregate
            ? [e, .. aggregate.InnerExceptions.SelectMany(Chain)]
            : e.InnerException is { } inner ? [e, .. Chain(inner)] : [e];
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        using var signIn = identity.SignIn();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await Assert.ThrowsAsync<SignInRefusedException>(() => signIn.SignInAsync("steering-member@diakonie", "falsch-falsch-falsch"));
        }

        var locked = await Assert.ThrowsAsync<SignInRefusedException>(() => signIn.SignInAsync("steering-member@diakonie", identity.SeedPassword));

        Assert.Contains("gesperrt", locked.Message, StringComparison.Ordinal);
        Assert.Contains(identity.Log, entry => entry.Event.Name == "AccountLockedOut");
    }

    [Fact]
    public async Task Keys_survive_a_restart_of_the_provider()
    {
        var before = (await identity.KeysAsync()).Keys.Select(k => k.Kid).Order().ToList();
        var port = Kim.Hosting.Broker.LocalRabbitMqNode.FreePort();

        await using (var restarted = identity.Start(port))
        {
            using var http = new HttpClient();
            var after = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(await http.GetStringAsync($"http://127.0.0.1:{port}/identity/.well-known/jwks"));
            Assert.Equal(before, after.Keys.Select(k => k.Kid).Order().ToList());
        }

        Assert.Single(Directory.GetFiles(identity.KeyDirectory, "signing-*.pfx"));
    }
}
