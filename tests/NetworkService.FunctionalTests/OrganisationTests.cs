using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kim.ServiceDefaults;
using Kim.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kim.NetworkService.FunctionalTests;

[Collection(NetworkCollection.Name)]
public sealed class OrganisationTests(NetworkServiceFixture service)
{
    [Fact]
    public async Task Registered_organisation_is_listed_with_its_type()
    {
        var client = service.ClientFor();
        var name = "Caritasverband " + Guid.NewGuid().ToString("N")[..6];

        var response = await client.PostAsJsonAsync("/api/network/organisations", new { name, type = "Carrier" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/network/organisations/{created.GetProperty("id").GetGuid()}", response.Headers.Location?.ToString());
        var all = await client.GetFromJsonAsync<JsonElement[]>("/api/network/organisations");
        Assert.Contains(all!, o => o.GetProperty("name").GetString() == name && o.GetProperty("type").GetString() == "Carrier");
    }

    [Fact]
    public async Task Registration_keeps_legal_domains_and_contacts_and_publishes_the_organisation()
    {
        var client = service.ClientFor();
        var name = "Ausländerbehörde " + Guid.NewGuid().ToString("N")[..6];
        await using var probe = await AmqpProbe.BindAsync(service.MessagingUri, "Kim.Contracts.Network:OrganisationRegistered");

        var created = await client.PostAsync("/api/network/organisations", new
        {
            name,
            type = "ImmigrationAuthority",
            legalDomains = new[] { "AufenthG", "StAG" },
            contacts = new[] { new { name = "Herr B.", function = "Sachgebietsleitung", email = "b@kreis.example", phone = "0221 1" } },
        });

        var found = await client.GetJsonAsync($"/api/network/organisations/{created.Id()}");
        Assert.Equal(["AufenthG", "StAG"], found.GetProperty("legalDomains").EnumerateArray().Select(d => d.GetString()!).ToArray());
        Assert.Equal("Sachgebietsleitung", found.GetProperty("contacts")[0].Str("function"));
        var published = await probe.NextContainingAsync(created.Id().ToString());
        Assert.Equal(name, published.Str("name"));
        Assert.Equal("ImmigrationAuthority", published.GetProperty("type").EnumName<Kim.Contracts.OrganisationType>());
    }

    [Fact]
    public async Task The_service_catalogue_finds_offers_by_legal_and_life_domain()
    {
        var client = service.ClientFor();
        var organisation = await client.PostAsync("/api/network/organisations", new { name = "VHS " + Guid.NewGuid().ToString("N")[..6], type = "Carrier" });
        var url = $"/api/network/organisations/{organisation.Id()}/offers";
        await client.PostAsync(url, new { title = "Integrationskurs", legalDomain = "AufenthG", lifeDomain = "Language", accessConditions = "Berechtigungsschein" });
        await client.PostAsync(url, new { title = "Elterncafé", legalDomain = "SgbVIII", lifeDomain = "FamilyChildren" });

        var language = await client.GetJsonAsync($"/api/network/offers?organisationId={organisation.Id()}&lifeDomain=Language");
        var sgb8 = await client.GetJsonAsync($"/api/network/offers?organisationId={organisation.Id()}&legalDomain=SgbVIII");

        var offer = Assert.Single(language.EnumerateArray());
        Assert.Equal("Integrationskurs", offer.Str("title"));
        Assert.Equal("Berechtigungsschein", offer.Str("accessConditions"));
        Assert.Equal("Elterncafé", Assert.Single(sgb8.EnumerateArray()).Str("title"));
        var invalid = await client.PostAsync(url, new { title = "", legalDomain = "SgbII" }, HttpStatusCode.BadRequest);
        Assert.True(invalid.GetProperty("errors").TryGetProperty("title", out _));
        Assert.True(invalid.GetProperty("errors").TryGetProperty("lifeDomain", out _));
        Assert.Equal(2, (await client.GetJsonAsync($"/api/network/offers?organisationId={organisation.Id()}")).GetArrayLength());
    }

    [Fact]
    public async Task The_same_name_twice_is_a_conflict()
    {
        var client = service.ClientFor();
        var name = "Jobcenter " + Guid.NewGuid().ToString("N")[..6];
        (await client.PostAsJsonAsync("/api/network/organisations", new { name, type = "Jobcenter" })).EnsureSuccessStatusCode();

        var again = await client.PostAsJsonAsync("/api/network/organisations", new { name, type = "Jobcenter" });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(ProblemTypes.Conflict, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Missing_fields_and_unknown_types_are_refused_without_change()
    {
        var client = service.ClientFor();
        var before = (await client.GetFromJsonAsync<JsonElement[]>("/api/network/organisations"))!.Length;

        var missing = await client.PostAsJsonAsync("/api/network/organisations", new { name = "" });
        var unknownType = await client.PostAsJsonAsync("/api/network/organisations", new { name = "X", type = "Bank" });
        var numericType = await client.PostAsJsonAsync("/api/network/organisations", new { name = "Y", type = 1 });

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var errors = (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("type", out _));
        Assert.Equal(HttpStatusCode.BadRequest, unknownType.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, numericType.StatusCode);
        Assert.Equal(before, (await client.GetFromJsonAsync<JsonElement[]>("/api/network/organisations"))!.Length);
    }

    [Fact]
    public async Task Ready_health_includes_database_and_broker()
    {
        var client = service.CreateClient();
        await Eventually.HealthyAsync(client);
        var health = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());

        // The public answer carries no details by design; the checks behind it are the ones registered as "ready".
        var report = await service.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(check => check.Tags.Contains(Kim.ServiceDefaults.Extensions.ReadyTag));
        Assert.Equal(HealthStatus.Healthy, report.Status);
        foreach (var name in new[] { "database-networkdb", "broker" })
        {
            Assert.True(report.Entries.TryGetValue(name, out var entry), $"no ready check '{name}' among: {string.Join(", ", report.Entries.Keys)}");
            Assert.Equal(HealthStatus.Healthy, entry.Status);
        }
    }

    [Fact]
    public async Task The_openapi_document_describes_the_governance_api()
    {
        var document = await service.CreateClient().GetJsonAsync("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/network/organisations", "/api/network/steering/motions/{id}/circular/votes", "/api/network/service-chains", "/api/network/themes" })
        {
            Assert.True(paths.TryGetProperty(path, out _) || paths.TryGetProperty(path + "/", out _), path);
        }
    }
}
