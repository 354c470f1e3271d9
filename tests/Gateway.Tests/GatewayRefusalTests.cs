using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Kim.Gateway.Tests;

/// <summary>Deny by default, required claims, unknown methods, other charsets and the Server header at the gateway.</summary>
public sealed class GatewayRefusalTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Signed_tokens_with_unknown_roles_get_403_and_malformed_ones_401_and_neither_is_forwarded()
    {
        // A tenant claim of its own (network routes check none), so the tenant rate limit of other tests is not touched.
        var before = gateway.ForwardedHeaders.Count;
        var answers = new List<string>();
        for (var index = 0; index < OddTokens.For(gateway.SigningKey, "odd-tenant").Count; index++)
        {
            // Each token with its own subject: the per-user rate limit stays far away.
            var token = OddTokens.For(gateway.SigningKey, "odd-tenant", $"odd-{index}")[index];
            var client = gateway.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
            using var response = await client.GetAsync("/api/network/organisations");
            if ((int)response.StatusCode != token.ExpectedStatus)
            {
                answers.Add($"{token.Kind}: {(int)response.StatusCode}, expected {token.ExpectedStatus}");
            }
        }

        Assert.True(answers.Count == 0, string.Join("\n", answers));
        Assert.Equal(before, gateway.ForwardedHeaders.Count);
    }

    [Fact]
    public async Task Each_odd_token_is_one_security_event_malformed_ones_as_invalid_tokens_unknown_roles_as_refused()
    {
        // On the route of a tenant only this test uses: a malformed token is recorded with the route's tenant, a token
        // with unknown roles with its own, so the events counted are exactly this test's.
        const string tenant = GatewayFixture.OddTokenTenant;
        var tokens = OddTokens.For(gateway.SigningKey, tenant);
        var before = gateway.ForwardedHeaders.Count;
        for (var index = 0; index < tokens.Count; index++)
        {
            var client = gateway.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OddTokens.For(gateway.SigningKey, tenant, $"odd-event-{index}")[index].Token);
            using var response = await client.GetAsync($"/api/tenants/{tenant}/cases");
            Assert.Equal(tokens[index].ExpectedStatus, (int)response.StatusCode);
        }

        Assert.Equal(before, gateway.ForwardedHeaders.Count);
        Assert.Equal(tokens.Count(t => t.ExpectedStatus == 401), gateway.Refusals.Count(r => r.Reason == SecurityEvents.InvalidToken && r.Tenant == tenant));
        Assert.Equal(tokens.Count(t => t.ExpectedStatus == 403), gateway.Refusals.Count(r => r.Reason == SecurityEvents.Forbidden && r.Tenant == tenant));
        Assert.DoesNotContain(gateway.Refusals, r => r.Tenant == tenant && r.Reason != SecurityEvents.InvalidToken && r.Reason != SecurityEvents.Forbidden);
    }

    [Theory]
    [InlineData("CONNECT", "/api/network/organisations")]
    [InlineData("TRACE", "/api/network/organisations")]
    [InlineData("TRACE", "/api/tenants/kommune/cases")]
    [InlineData("PROPFIND", "/api/network/organisations")]
    public async Task Unknown_methods_get_405_and_are_never_forwarded(string method, string path)
    {
        var before = gateway.ForwardedHeaders.Count;

        using var response = await gateway.ClientFor("kommune", "methods-" + method).SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ProblemTypes.MethodNotAllowed, problem.GetProperty("type").GetString());
        Assert.Equal("Methode nicht erlaubt", problem.GetProperty("title").GetString());
        Assert.Contains("GET", response.Content.Headers.Allow);
        Assert.Equal(before, gateway.ForwardedHeaders.Count);
    }

    [Fact]
    public async Task Over_the_wire_CONNECT_and_TRACE_get_405_and_no_response_names_its_server()
    {
        // Kestrel instead of the test server: CONNECT arrives in authority form (host:port), with no path at all,
        // where the web front end's catch-all route would take it.
        var wire = new GatewayFixture { WithWebFrontEndAtBackend = true };
        await ((IAsyncLifetime)wire).InitializeAsync();
        try
        {
            wire.UseKestrel(0);
            wire.StartServer();
            var address = new Uri(wire.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
            using var client = new HttpClient { BaseAddress = address }.WithToken(wire.SigningKey, "kommune", KimRoles.Coordinator, "wire");

            using var connect = new HttpRequestMessage(HttpMethod.Connect, "/api/network/organisations");
            connect.Headers.Host = address.Authority;
            using var connected = await client.SendAsync(connect);
            using var traced = await client.SendAsync(new HttpRequestMessage(HttpMethod.Trace, "/api/network/organisations"));
            using var proxied = await client.GetAsync("/api/network/organisations");
            using var page = await client.GetAsync("/some-page");

            Assert.Equal(HttpStatusCode.MethodNotAllowed, connected.StatusCode);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, traced.StatusCode);
            Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.All(new[] { connected, traced, proxied, page }, response => Assert.False(response.Headers.Contains("Server")));
        }
        finally
        {
            await ((IAsyncLifetime)wire).DisposeAsync();
        }
    }

    [Theory]
    [InlineData("application/json; charset=utf-7")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/json; charset=\"utf-16\"")]
    public async Task A_body_in_another_charset_gets_415_and_is_never_forwarded(string contentType)
    {
        var before = gateway.ForwardedHeaders.Count;
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"name\":\"x\"}"));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await gateway.ClientFor("kommune", "charset").PostAsync("/api/network/organisations", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ProblemTypes.UnsupportedMediaType, problem.GetProperty("type").GetString());
        Assert.Equal("Format nicht unterstützt", problem.GetProperty("title").GetString());
        Assert.Equal(before, gateway.ForwardedHeaders.Count);
        // The refusal carries the gateway's security headers like every other answer.
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded; charset=ISO-8859-1")]
    [InlineData("application/x-www-form-urlencoded; charset=iso-8859-1")]
    [InlineData("application/x-www-form-urlencoded; charset=us-ascii")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task A_token_request_as_a_form_in_latin1_or_ascii_reaches_the_provider(string contentType)
    {
        var before = gateway.ForwardedHeaders.Count;
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes("grant_type=client_credentials&client_id=reportingservice&client_secret=s%C3%A9cret"));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await gateway.CreateClient().PostAsync("/identity/connect/token", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before + 1, gateway.ForwardedHeaders.Count);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded; charset=utf-16")]
    [InlineData("application/x-www-form-urlencoded; charset=utf-7")]
    [InlineData("application/x-www-form-urlencoded; charset=windows-1252")]
    [InlineData("multipart/form-data; boundary=x; charset=iso-8859-1")]
    [InlineData("text/plain; charset=us-ascii")]
    public async Task Other_charsets_of_forms_and_latin1_or_ascii_outside_forms_get_415(string contentType)
    {
        var before = gateway.ForwardedHeaders.Count;
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes("grant_type=client_credentials"));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await gateway.CreateClient().PostAsync("/identity/connect/token", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(before, gateway.ForwardedHeaders.Count);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=UTF-8")]
    public async Task A_body_in_utf8_is_forwarded(string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"name\":\"x\"}"));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await gateway.ClientFor("caritas", "utf8-" + contentType.Length).PostAsync("/api/network/organisations", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Proxied_responses_carry_no_server_header()
    {
        using var response = await gateway.ClientFor("awo", "server-header").GetAsync("/api/network/organisations");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Headers.Server);
        Assert.False(response.Headers.Contains("Server"));
    }
}
