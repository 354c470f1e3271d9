using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Kim.Gateway.Tests;

public sealed class GatewayHardeningTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private static async Task<string?> ProblemTypeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString();

    [Fact]
    public async Task A_user_over_their_limit_gets_429_with_Retry_After_while_a_colleague_continues()
    {
        var flooding = gateway.ClientFor("awo", "flooder");
        for (var i = 0; i < GatewayFixture.PermitsPerUser; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await flooding.GetAsync("/api/tenants/awo/cases")).StatusCode);
        }

        var refused = await flooding.GetAsync("/api/tenants/awo/cases");
        var colleague = await gateway.ClientFor("awo", "colleague").GetAsync("/api/tenants/awo/cases");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(int.Parse(refused.Headers.RetryAfter!.ToString()) >= 1);
        Assert.Equal(ProblemTypes.TooManyRequests, await ProblemTypeAsync(refused));
        Assert.Equal(HttpStatusCode.OK, colleague.StatusCode);
        Assert.Contains(gateway.Refusals, r => r.Reason == SecurityEvents.RateLimit && r.Tenant == "awo");
    }

    [Fact]
    public async Task A_flooding_tenant_is_limited_and_does_not_starve_another_tenant()
    {
        var statuses = new List<HttpStatusCode>();
        foreach (var user in new[] { "a", "b", "c" })
        {
            var client = gateway.ClientFor("drk", user);
            for (var i = 0; i < 3; i++)
            {
                statuses.Add((await client.GetAsync("/api/tenants/drk/cases")).StatusCode);
            }
        }

        var otherTenant = await gateway.ClientFor("diakonie", "a").GetAsync("/api/tenants/diakonie/cases");

        Assert.Equal(GatewayFixture.PermitsPerTenant, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(9 - GatewayFixture.PermitsPerTenant, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.OK, otherTenant.StatusCode);
    }

    [Fact]
    public async Task Client_sent_identity_and_tenant_headers_are_stripped_before_forwarding()
    {
        var client = gateway.ClientFor("kommune", "anna");
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/tenants/kommune/cases");
        foreach (var (name, value) in new[] { ("X-Tenant", "caritas"), ("X-Tenant-Id", "caritas"), ("X-User", "admin"), ("X-User-Id", "1"), ("X-Kim-Role", "operator"),
                     ("X-Forwarded-User", "admin"), ("X-Remote-User", "admin"), ("Remote-User", "admin"), ("X-Roles", "operator"), ("X-Custom", "kept") })
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var before = gateway.ForwardedHeaders.Count;
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var forwarded = gateway.ForwardedHeaders.Skip(before).Single();
        Assert.DoesNotContain(forwarded.Keys, key => key.StartsWith("X-Tenant", StringComparison.OrdinalIgnoreCase)
            || key.StartsWith("X-User", StringComparison.OrdinalIgnoreCase) || key.StartsWith("X-Kim", StringComparison.OrdinalIgnoreCase)
            || key.Contains("Remote-User", StringComparison.OrdinalIgnoreCase) || key.Equals("X-Forwarded-User", StringComparison.OrdinalIgnoreCase)
            || key.StartsWith("X-Role", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("kept", forwarded["X-Custom"]);
        Assert.StartsWith("Bearer ", forwarded["Authorization"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Responses_carry_security_headers_and_api_responses_are_not_cached()
    {
        var api = await gateway.ClientFor("kommune", "headers").GetAsync("/api/network/organisations");
        var health = await gateway.CreateClient().GetAsync("/health");

        foreach (var response in new[] { api, health })
        {
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        }

        Assert.True(api.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task Unknown_paths_answer_a_problem_with_a_german_title()
    {
        var client = gateway.ClientFor("kommune", "unknown-paths");
        foreach (var (path, title) in new[] { ("/api/nothing-here", "Nicht gefunden"), ("/api/tenants/nowhere/cases", "Mandant unbekannt"), ("/no-front-end-here", "Nicht gefunden") })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(title, problem.GetProperty("title").GetString());
            Assert.StartsWith("urn:kim:problem:", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_413_and_never_forwarded()
    {
        var client = gateway.ClientFor("paritaet", "big");
        var before = gateway.ForwardedHeaders.Count;

        var response = await client.PostAsync("/api/tenants/paritaet/cases",
            new StringContent("{\"note\":\"" + new string('x', GatewayFixture.MaxBodyBytes) + "\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(ProblemTypes.PayloadTooLarge, await ProblemTypeAsync(response));
        Assert.Equal(before, gateway.ForwardedHeaders.Count);
    }

    [Fact]
    public async Task Failed_authentication_and_refused_tenants_are_counted_as_security_events_without_personal_data()
    {
        using var telemetry = new CapturedTelemetry();
        var measurements = new ConcurrentQueue<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "kim.security.refusals")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) => measurements.Enqueue(string.Join(" ", tags.ToArray().Select(t => $"{t.Key}={t.Value}"))));
        listener.Start();
        using var host = gateway.WithWebHostBuilder(builder => builder.ConfigureLogging(logging => logging.AddProvider(telemetry)));
        HttpClient With(string token)
        {
            var client = host.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
            return client;
        }

        // Every refused token names its person (the subject); the refusals must not repeat the names or the tokens.
        string[] users = ["lena.spaetkommer", "mallory.faelscher", "carla.caritasfrau"];
        var expiredToken = DevTokens.Create(gateway.SigningKey, "kommune", KimRoles.CaseManager, users[0], DateTime.UtcNow.AddHours(-2), TimeSpan.FromMinutes(5));
        var forgedToken = DevTokens.Create(DevTokens.NewSigningKey(), "kommune", KimRoles.CaseManager, users[1], DateTime.UtcNow, TimeSpan.FromMinutes(5));
        var otherTenantToken = DevTokens.Create(gateway.SigningKey, "caritas", KimRoles.CaseManager, users[2], DateTime.UtcNow, TimeSpan.FromMinutes(5));
        var forwardedBefore = gateway.ForwardedHeaders.Count;

        var anonymous = await host.CreateClient().GetAsync("/api/tenants/kommune/cases");
        var expired = await With(expiredToken).GetAsync("/api/tenants/kommune/cases");
        var forged = await With(forgedToken).GetAsync("/api/tenants/kommune/cases");
        var otherTenant = await With(otherTenantToken).GetAsync("/api/tenants/kommune/cases");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherTenant.StatusCode);
        Assert.Equal(ProblemTypes.Unauthenticated, await ProblemTypeAsync(anonymous));
        Assert.Equal(forwardedBefore, gateway.ForwardedHeaders.Count);

        var events = gateway.Refusals.ToList();
        Assert.Contains((SecurityEvents.MissingToken, "kommune"), events);
        Assert.Contains((SecurityEvents.ExpiredToken, "kommune"), events);
        Assert.Contains((SecurityEvents.InvalidSignature, "kommune"), events);
        Assert.Contains((SecurityEvents.TenantMismatch, "caritas"), events);

        // The security events were written, so the search below looks at them.
        var securityLog = telemetry.Logs.Where(line => line.Contains("Kim.Security", StringComparison.Ordinal)).ToList();
        foreach (var reason in new[] { SecurityEvents.MissingToken, SecurityEvents.ExpiredToken, SecurityEvents.InvalidSignature, SecurityEvents.TenantMismatch })
        {
            Assert.Contains(securityLog, line => line.Contains(reason, StringComparison.Ordinal));
        }

        Assert.Contains(measurements, m => m.Contains(SecurityEvents.TenantMismatch, StringComparison.Ordinal));
        foreach (var value in users.Concat([expiredToken, forgedToken, otherTenantToken]))
        {
            var leaks = telemetry.Containing(value).Concat(measurements.Where(m => m.Contains(value, StringComparison.OrdinalIgnoreCase))).ToList();
            Assert.True(leaks.Count == 0, $"'{value}' appears in:\n{string.Join("\n", leaks)}");
        }
    }

    [Fact]
    public async Task Only_allow_listed_origins_get_cross_origin_access()
    {
        async Task<HttpResponseMessage> PreflightAsync(string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, "/api/network/organisations");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "GET");
            request.Headers.Add("Access-Control-Request-Headers", "authorization");
            return await gateway.CreateClient().SendAsync(request);
        }

        var allowed = await PreflightAsync("https://kim.kreis-beispiel.de");
        var refused = await PreflightAsync("https://evil.example");

        Assert.Equal("https://kim.kreis-beispiel.de", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
