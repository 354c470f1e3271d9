using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Kim.Hosting;
using Kim.Hosting.SignIn;
using Xunit.Abstractions;

namespace Kim.EndToEnd.Tests;

/// <summary>A person signs in at the platform's provider through the gateway; the token works for their tenant only.</summary>
[Collection(PlatformCollection.Name)]
public sealed class SignInThroughGatewayTests(PlatformFixture platform, ITestOutputHelper output)
{
    [Fact]
    public async Task A_token_from_the_provider_works_through_the_gateway_for_its_tenant_only()
    {
        using var signIn = new CodeFlowSignIn(platform.Platform.Issuer, CliClient.Id, CliClient.RedirectUri);
        var watch = Stopwatch.StartNew();
        var tokens = await signIn.SignInAsync("case-manager@caritas", platform.Platform.SeedPassword);
        Kim.Testing.TestFigures.Report(output, "figures.txt", $"sign-in, code flow with PKCE through the gateway: {watch.ElapsedMilliseconds} ms");
        using var client = new HttpClient { BaseAddress = platform.Platform.GatewayUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);

        using var created = await client.PostAsJsonAsync("/api/tenants/caritas/cases",
            new { client = new { givenName = "Lina", familyName = "Haddad", birthDate = "1990-02-03" } });
        using var otherTenant = await client.GetAsync("/api/tenants/kommune/cases");
        using var forged = new HttpClient { BaseAddress = platform.Platform.GatewayUrl };
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken[..^4] + "AAAA");
        using var tampered = await forged.GetAsync("/api/tenants/caritas/cases");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherTenant.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
    }

    [Fact]
    public async Task The_sign_in_page_is_served_in_german_through_the_gateway_with_its_own_content_policy()
    {
        using var http = new HttpClient();
        using var page = await http.GetAsync(new Uri(platform.Platform.Issuer, "Account/Login"));
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html lang=\"de\">", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"Password\">Passwort</label>", html, StringComparison.Ordinal);
        Assert.StartsWith("default-src 'none'; style-src 'unsafe-inline'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }
}

/// <summary>The municipal reporting's machine client: client credentials at the provider, accepted by the state API.</summary>
[Collection(PlatformCollection.Name)]
public sealed class MachineClientTests(PlatformFixture platform)
{
    private sealed class Clients : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new();
    }

    [Fact]
    public async Task The_reporting_client_gets_a_state_reporter_token_once_the_state_api_accepts_it_for_its_municipality_only()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new Kim.ReportingService.Submission.MunicipalityOptions
        {
            TokenEndpoint = new Uri(platform.Platform.Issuer, "connect/token").ToString(),
            ClientId = "reportingservice",
            ClientSecret = new DevSecrets(platform.DataDirectory).Secret("reportingservice-client-secret"),
        });
        var source = new Kim.ReportingService.Submission.StateAccessToken(new Clients(), options, TimeProvider.System);

        var token = await source.GetAsync(CancellationToken.None);
        Assert.NotNull(token);
        Assert.Equal(token, await source.GetAsync(CancellationToken.None));
        using var client = new HttpClient { BaseAddress = platform.Platform.GatewayUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        // The municipality's machine client reads the schema it submits against, and nothing of the other municipalities.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/state/schema")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/state/submissions?period=2026")).StatusCode);

        var wrong = new Kim.ReportingService.Submission.StateAccessToken(new Clients(),
            Microsoft.Extensions.Options.Options.Create(new Kim.ReportingService.Submission.MunicipalityOptions { TokenEndpoint = options.Value.TokenEndpoint, ClientId = "reportingservice", ClientSecret = "falsch" }),
            TimeProvider.System);
        Assert.Null(await wrong.GetAsync(CancellationToken.None));
    }
}
