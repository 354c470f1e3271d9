using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kim.ServiceDefaults;
using Kim.Testing;
using Xunit.Abstractions;

namespace Kim.EndToEnd.Tests;

/// <summary>The thin slice through everything: gateway -> CaseService -> outbox -> broker -> ReportingService -> gateway.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ThinSliceTests(PlatformFixture platform, ITestOutputHelper output)
{
    private static object NewClient(string givenName, string familyName, string birthDate) =>
        new { client = new { givenName, familyName, birthDate } };

    private static async Task<int> OpenCasesAsync(HttpClient client, string tenant)
    {
        var overview = await client.GetFromJsonAsync<JsonElement>("/api/reports/overview");
        return overview.GetProperty("openCasesByTenant").TryGetProperty(tenant, out var count) ? count.GetInt32() : 0;
    }

    [Fact]
    public async Task A_case_opened_through_the_gateway_is_stored_published_and_counted_once()
    {
        output.WriteLine($"platform started in {platform.StartupTime.TotalSeconds:0.0} s");
        var client = platform.GatewayClient("caritas");
        var before = await OpenCasesAsync(client, "caritas");

        var response = await client.PostAsJsonAsync("/api/tenants/caritas/cases", NewClient("Amira", "Haddad", "1991-04-12"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.False(string.IsNullOrEmpty(id));
        Assert.NotNull(response.Headers.Location);
        Assert.EndsWith(id, response.Headers.Location!.ToString(), StringComparison.Ordinal);
        var stored = await client.GetFromJsonAsync<JsonElement>(response.Headers.Location);
        Assert.Equal(id, stored.GetProperty("id").GetString());

        await Eventually.TrueAsync(async () => await OpenCasesAsync(client, "caritas") == before + 1, "ReportingService to count the case");

        // Nothing more arrives for it: a later case of another tenant is counted, and the first is still counted once.
        var kommune = platform.GatewayClient("kommune");
        var kommuneBefore = await OpenCasesAsync(kommune, "kommune");
        Assert.Equal(HttpStatusCode.Created, (await kommune.PostAsJsonAsync("/api/tenants/kommune/cases", NewClient("Marker", "Fall", "1985-02-02"))).StatusCode);
        await Eventually.TrueAsync(async () => await OpenCasesAsync(kommune, "kommune") == kommuneBefore + 1, "ReportingService to count the later case");
        Assert.Equal(before + 1, await OpenCasesAsync(client, "caritas"));
    }

    [Fact]
    public async Task The_published_event_carries_a_case_key_and_categories_but_no_personal_data()
    {
        await using var probe = await AmqpProbe.BindAsync(platform.MessagingUri, "Kim.Contracts.Cases:CaseOpened");
        var givenName = "Oksana" + Guid.NewGuid().ToString("N")[..6];
        var familyName = "Melnyk" + Guid.NewGuid().ToString("N")[..6];

        var response = await platform.GatewayClient("kommune").PostAsJsonAsync("/api/tenants/kommune/cases", NewClient(givenName, familyName, "1970-11-03"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var raw = await probe.NextAsync(TimeSpan.FromSeconds(30));
        var message = JsonDocument.Parse(raw).RootElement.GetProperty("message");
        Assert.Equal("kommune", message.GetProperty("tenantId").GetString());
        Assert.Equal("45-64", message.GetProperty("ageBand").GetString());
        Assert.False(string.IsNullOrEmpty(message.GetProperty("caseKey").GetString()));
        foreach (var personal in new[] { givenName, familyName, "1970", id })
        {
            Assert.DoesNotContain(personal, raw, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Gateway_CaseService_and_ReportingService_spans_share_one_trace()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/tenants/caritas/cases")
        {
            Content = JsonContent.Create(NewClient("Samir", "Nasser", "2001-01-20")),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        var response = await platform.GatewayClient("caritas").SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        string[] services = [ResourceNames.Gateway, ResourceNames.CaseService("caritas"), ResourceNames.ReportingService];
        await Eventually.TrueAsync(
            () => Task.FromResult(services.All(s => platform.Traces.Spans.Any(span => span.TraceId == traceId && span.Service == s))),
            "spans of gateway, CaseService and ReportingService in the request's trace", TimeSpan.FromSeconds(30));
        foreach (var span in platform.Traces.Spans.Where(s => s.TraceId == traceId))
        {
            output.WriteLine($"{span.Service}: {span.Name}");
        }
    }

    [Fact]
    public async Task Gateway_refuses_without_token_for_another_tenant_and_for_an_unknown_tenant()
    {
        var anonymous = await platform.GatewayClient(tenant: null).GetAsync("/api/tenants/caritas/cases");
        var otherTenant = await platform.GatewayClient("caritas").GetAsync("/api/tenants/kommune/cases");
        var unknown = await platform.GatewayClient("caritas").GetAsync("/api/tenants/nowhere/cases");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherTenant.StatusCode);
        Assert.Equal(ProblemTypes.TenantMismatch, (await otherTenant.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(ProblemTypes.UnknownTenant, (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("caseservice", "/api/tenants/{tenant}/cases")]
    [InlineData("networkservice", "/api/network/organisations")]
    [InlineData("reportingservice", "/api/reports/overview")]
    public async Task Gateway_serves_each_service_openapi_document_without_a_token(string service, string path)
    {
        var document = await platform.GatewayClient(tenant: null).GetFromJsonAsync<JsonElement>($"/openapi/{service}.json");

        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.True(document.GetProperty("paths").TryGetProperty(path, out _), $"{service} documents {path}");
    }

    [Fact]
    public async Task Every_resource_answers_health_and_alive()
    {
        using var http = new HttpClient();
        Assert.Equal(["caseservice-caritas", "caseservice-kommune", "gateway", "identity", "networkservice", "reportingservice", "statereportingservice", "webapp"], platform.Platform.Ports.Keys.Order());
        foreach (var resource in platform.Platform.Ports.Keys)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(platform.Platform.Url(resource), "health"))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(platform.Platform.Url(resource), "alive"))).StatusCode);
        }
    }
}
