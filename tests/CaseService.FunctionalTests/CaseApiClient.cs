using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kim.Contracts;

namespace Kim.CaseService.FunctionalTests;

/// <summary>Calls the case API of one tenant and checks status codes, so the tests read as the case's story.</summary>
public sealed class CaseApiClient(HttpClient http, string tenant, TimeProvider clock)
{
    public HttpClient Http { get; } = http;

    public string Base { get; } = $"/api/tenants/{tenant}";

    public DateOnly Today => LocalDay.Today(clock);

    public async Task<JsonElement> OpenAsync(string givenName, string familyName, string birthDate = "1991-04-12")
    {
        var body = await SendAsync(HttpMethod.Post, "/cases", new
        {
            client = new
            {
                givenName,
                familyName,
                birthDate,
                phone = "+49 2104 99887",
                email = $"{givenName.ToLowerInvariant()}@example.org",
                address = "Musterweg 5, 40822 Mettmann",
                languages = new[] { "ar", "de" },
                residenceStatus = "ResidencePermit",
                arrivalDate = "2023-02-01",
            },
            accessRoute = "ReferralByAuthority",

            // Tests open many cases with the same names; the duplicate check has its own tests.
            confirmDuplicate = true,
        }, HttpStatusCode.Created);
        return body;
    }

    public Task<JsonElement> GetAsync(string path, HttpStatusCode expected = HttpStatusCode.OK) => SendAsync(HttpMethod.Get, path, null, expected);

    public Task<JsonElement> PostAsync(string path, object body, HttpStatusCode expected = HttpStatusCode.OK) => SendAsync(HttpMethod.Post, path, body, expected);

    public Task<JsonElement> PutAsync(string path, object body, HttpStatusCode expected = HttpStatusCode.OK) => SendAsync(HttpMethod.Put, path, body, expected);

    /// <summary>Expects a 409 whose problem type names <paramref name="precondition"/>.</summary>
    public async Task RefusedAsync(HttpMethod method, string path, object body, string precondition)
    {
        var problem = await SendAsync(method, path, body, HttpStatusCode.Conflict);
        Assert.Equal("urn:kim:problem:precondition:" + precondition, problem.GetProperty("type").GetString());
        Assert.Equal(precondition, problem.GetProperty("precondition").GetString());
    }

    public async Task<JsonElement> GiveConsentAsync(Guid caseId, object terms)
    {
        var consent = await PostAsync($"/cases/{caseId}/consents", terms, HttpStatusCode.Created);
        var consentId = consent.GetProperty("id").GetGuid();
        return await PostAsync($"/cases/{caseId}/consents/{consentId}/give", new { givenBy = "Client", evidenceReference = "Akte 2026/117, Bl. 4" });
    }

    /// <summary>Opens a case and takes it, with every precondition met, to <paramref name="phase"/>.</summary>
    public async Task<(Guid Id, JsonElement Case)> CaseInAsync(string phase, string givenName, string familyName)
    {
        var opened = await OpenAsync(givenName, familyName);
        var id = opened.GetProperty("id").GetGuid();
        var current = opened;
        if (phase == "Intake")
        {
            return (id, current);
        }

        await PutAsync($"/cases/{id}/indication", new { targetGroup = true, willingToCooperate = true, communicationPossible = true });
        await GiveConsentAsync(id, new { purpose = "CaseManagement", expiresOn = Today.AddYears(1) });
        current = await PostAsync($"/cases/{id}/advance", new { to = "Assessment" });
        if (phase == "Assessment")
        {
            return (id, current);
        }

        await PutAsync($"/cases/{id}/assessments/TrainingWork", new
        {
            situation = "Abschluss als Pflegefachkraft, nicht anerkannt",
            resources = "Deutsch B1, Berufserfahrung",
            needs = "Anerkennung und Anpassungslehrgang",
            clientView = "Möchte wieder im Beruf arbeiten",
        });
        current = await PostAsync($"/cases/{id}/advance", new { to = "GoalAgreement" });
        if (phase == "GoalAgreement")
        {
            return (id, current);
        }

        await PostAsync($"/cases/{id}/goals", new { lifeDomain = "TrainingWork", description = "Anerkennung beantragt", clientAgreed = true, targetDate = Today.AddMonths(3) });
        current = await PostAsync($"/cases/{id}/advance", new { to = "ServicePlanning" });
        if (phase == "ServicePlanning")
        {
            return (id, current);
        }

        await PostAsync($"/cases/{id}/plan-items/from-chain", new { chainId = CaseServiceFixture.WorkChain });
        current = await PostAsync($"/cases/{id}/advance", new { to = "ServiceSteering" });
        return (id, current);
    }

    public async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, Base + path);
        if (body is not null)
        {
            request.Content = body is string raw ? new StringContent(raw, System.Text.Encoding.UTF8, "application/json") : JsonContent.Create(body);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
