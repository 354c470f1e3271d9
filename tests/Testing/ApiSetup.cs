using System.Net.Http.Json;
using System.Text.Json;
using Kim.Contracts;
using Xunit;

namespace Kim.Testing;

/// <summary>Set-up through the APIs (what a test needs before the step it is about): a failed call fails the test with its answer.</summary>
public static class ApiSetup
{
    public static Task<JsonElement> PostAsync(HttpClient client, string path, object body) => SendAsync(client, HttpMethod.Post, path, body);

    public static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string path, object body)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>
    /// A new case of <paramref name="tenant"/> walked through the case manager's gates to the phase ServicePlanning
    /// (indication, consent, an assessment of training and work, an agreed goal); returns its id.
    /// </summary>
    public static async Task<Guid> CaseInServicePlanningAsync(HttpClient caseManager, string tenant, string givenName, string familyName)
    {
        var cases = $"/api/tenants/{tenant}/cases";
        var today = LocalDay.Of(DateTime.UtcNow);
        var opened = await PostAsync(caseManager, cases, new
        {
            client = new { givenName, familyName, birthDate = "1990-03-04", languages = new[] { "ar" }, residenceStatus = "ResidencePermit" },
            accessRoute = "ReferralByAuthority",
            confirmDuplicate = true,
        });
        var id = opened.GetProperty("id").GetGuid();
        await SendAsync(caseManager, HttpMethod.Put, $"{cases}/{id}/indication", new { targetGroup = true, willingToCooperate = true, communicationPossible = true });
        var consent = await PostAsync(caseManager, $"{cases}/{id}/consents", new { purpose = "CaseManagement", expiresOn = today.AddYears(1) });
        await PostAsync(caseManager, $"{cases}/{id}/consents/{consent.GetProperty("id").GetGuid()}/give", new { givenBy = "Client", evidenceReference = "Akte 1" });
        await PostAsync(caseManager, $"{cases}/{id}/advance", new { to = "Assessment" });
        await SendAsync(caseManager, HttpMethod.Put, $"{cases}/{id}/assessments/TrainingWork", new
        {
            situation = "Sucht Arbeit",
            resources = "Berufserfahrung",
            needs = "Deutschkurs",
            clientView = "Möchte arbeiten",
        });
        await PostAsync(caseManager, $"{cases}/{id}/advance", new { to = "GoalAgreement" });
        await PostAsync(caseManager, $"{cases}/{id}/goals", new { lifeDomain = "TrainingWork", description = "Arbeit aufnehmen", clientAgreed = true, targetDate = today.AddMonths(6) });
        await PostAsync(caseManager, $"{cases}/{id}/advance", new { to = "ServicePlanning" });
        return id;
    }
}
