using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kim.Contracts;
using Kim.ServiceDefaults;
using Kim.Testing;
using Microsoft.EntityFrameworkCore;

namespace Kim.CaseService.FunctionalTests;

[Collection(CaseServiceCollection.Name)]
public sealed class OpenCaseTests(CaseServiceFixture service)
{
    private const string CaseOpenedExchange = "Kim.Contracts.Cases:CaseOpened";

    private static object ValidRequest(string givenName = "Amira", string familyName = "Haddad") =>
        new { client = new { givenName, familyName, birthDate = "1991-04-12" } };

    [Fact]
    public async Task Opening_a_case_returns_201_with_location_and_stores_it_in_intake()
    {
        var client = service.ClientFor(CaseServiceFixture.Tenant);

        var response = await client.PostAsJsonAsync("/api/tenants/caritas/cases", ValidRequest());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal($"/api/tenants/caritas/cases/{id}", response.Headers.Location?.ToString());
        Assert.Equal("Intake", body.GetProperty("phase").GetString());

        var fetched = await client.GetFromJsonAsync<JsonElement>(response.Headers.Location);
        Assert.Equal("Haddad", fetched.GetProperty("client").GetProperty("familyName").GetString());
        Assert.Equal("1991-04-12", fetched.GetProperty("client").GetProperty("birthDate").GetString());
    }

    [Fact]
    public async Task CaseOpened_carries_a_case_key_and_categories_but_no_personal_data()
    {
        await using var probe = await AmqpProbe.BindAsync(service.MessagingUri, CaseOpenedExchange);
        var client = service.ClientFor(CaseServiceFixture.Tenant);
        var givenName = "Zeynep" + Guid.NewGuid().ToString("N")[..6];
        var familyName = "Yilmaz" + Guid.NewGuid().ToString("N")[..6];

        var response = await client.PostAsJsonAsync("/api/tenants/caritas/cases", ValidRequest(givenName, familyName));
        response.EnsureSuccessStatusCode();
        var caseId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var stored = await service.WithDbAsync(db => db.Cases.SingleAsync(c => c.Id == caseId));
        var raw = await ReadEventOfAsync(probe, stored.CaseKey);
        var message = JsonDocument.Parse(raw).RootElement.GetProperty("message");
        Assert.Equal("caritas", message.GetProperty("tenantId").GetString());
        Assert.Equal(AgeBandToday(new DateOnly(1991, 4, 12)), message.GetProperty("ageBand").GetString());
        Assert.Equal(22, stored.CaseKey.Length);

        Assert.DoesNotContain(givenName, raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(familyName, raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("1991-04-12", raw, StringComparison.Ordinal);
        Assert.DoesNotContain(caseId.ToString(), raw, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Invalid_client_is_refused_with_every_failing_field_and_changes_nothing()
    {
        var client = service.ClientFor(CaseServiceFixture.Tenant);
        var before = await CountsAsync();

        var response = await client.PostAsJsonAsync("/api/tenants/caritas/cases",
            new { client = new { givenName = " ", familyName = new string('x', 201), birthDate = "2999-01-01" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ProblemTypes.Validation, problem.GetProperty("type").GetString());
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("client.givenName", out _));
        Assert.True(errors.TryGetProperty("client.familyName", out _));
        Assert.True(errors.TryGetProperty("client.birthDate", out _));
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData("{\"client\":")]
    [InlineData("{\"client\":{\"givenName\":\"A\",\"familyName\":\"B\",\"birthDate\":\"1990-01-01\",\"nationality\":\"X\"}}")]
    [InlineData("{\"client\":{\"givenName\":42,\"familyName\":\"B\",\"birthDate\":\"1990-01-01\"}}")]
    [InlineData("{\"client\":{\"givenName\":\"A\",\"familyName\":\"B\",\"birthDate\":\"1990-13-01\"}}")]
    [InlineData("[]")]
    public async Task Unreadable_body_is_a_400_problem_and_changes_nothing(string body)
    {
        var client = service.ClientFor(CaseServiceFixture.Tenant);
        var before = await CountsAsync();

        var response = await client.PostAsync("/api/tenants/caritas/cases",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ProblemTypes.MalformedRequest, problem.GetProperty("type").GetString());
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Another_tenants_route_is_not_served_here()
    {
        var response = await service.ClientFor("kommune").GetAsync("/api/tenants/kommune/cases");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ProblemTypes.UnknownTenant, problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_token_of_another_tenant_is_forbidden_and_sees_no_case_data()
    {
        var own = service.ClientFor(CaseServiceFixture.Tenant);
        (await own.PostAsJsonAsync("/api/tenants/caritas/cases", ValidRequest("Leak", "Probe"))).EnsureSuccessStatusCode();

        var response = await service.ClientFor("kommune").GetAsync("/api/tenants/caritas/cases");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains(ProblemTypes.TenantMismatch, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Probe", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_without_a_valid_token_are_401()
    {
        var anonymous = service.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/tenants/caritas/cases")).StatusCode);

        var forged = service.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new("Bearer", Kim.ServiceDefaults.Security.DevTokens.Create(
            Kim.ServiceDefaults.Security.DevTokens.NewSigningKey(), "caritas", "case-manager", "mallory", DateTime.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.PostAsJsonAsync("/api/tenants/caritas/cases", ValidRequest())).StatusCode);

        var expired = service.CreateClient();
        expired.DefaultRequestHeaders.Authorization = new("Bearer", Kim.ServiceDefaults.Security.DevTokens.Create(
            service.SigningKey, "caritas", "case-manager", "late", DateTime.UtcNow.AddHours(-2), TimeSpan.FromMinutes(5)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await expired.GetAsync("/api/tenants/caritas/cases")).StatusCode);
    }

    [Fact]
    public async Task Health_and_openapi_answer_without_a_token()
    {
        var anonymous = service.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/alive")).StatusCode);
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/tenants/{tenant}/cases", out _));
    }

    private Task<(int Cases, int Clients, int Outbox)> CountsAsync() => service.WithDbAsync(async db =>
        (await db.Cases.CountAsync(), await db.Clients.CountAsync(), await db.OutboxMessages.CountAsync()));

    private static string AgeBandToday(DateOnly birthDate) =>
        Kim.Contracts.Cases.AgeBands.Of(birthDate, Kim.Contracts.LocalDay.Of(DateTime.UtcNow));

    private static async Task<string> ReadEventOfAsync(AmqpProbe probe, string caseKey)
    {
        // Events of earlier tests may still leave the outbox; the one of this case is the one with its key.
        for (var i = 0; i < 50; i++)
        {
            var raw = await probe.NextAsync(TimeSpan.FromSeconds(20));
            if (JsonDocument.Parse(raw).RootElement.GetProperty("message").GetProperty("caseKey").GetString() == caseKey)
            {
                return raw;
            }
        }

        throw new InvalidOperationException("The event of the case never arrived.");
    }
}
