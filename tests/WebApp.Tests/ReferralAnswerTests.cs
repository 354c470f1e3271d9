using System.Net.Http.Json;
using System.Text.Json;
using Kim.Contracts;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

using static Kim.Testing.ApiSetup;

namespace Kim.WebApp.Tests;

/// <summary>
/// A provider without a tenant of its own (the jobcenter) answers by phone or letter: the case manager records its
/// answer on the case page, step by step, so that the handover is measured like a forwarded one.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class ReferralAnswerTests(WebFixture web, ITestOutputHelper output)
{
    [Fact]
    public async Task The_case_manager_records_acceptance_start_and_an_unsuccessful_end_of_a_referral_to_the_jobcenter()
    {
        var checkedBefore = web.Checked.Count;
        var (caseId, referralId) = await ReferralToJobcenterAsync();
        var page = await web.SignInAsync("case-manager@kommune");
        await page.GotoAsync($"/faelle/{caseId}#weiterleitungen");
        var row = page.GetByRole(AriaRole.Table, new() { Name = "Weiterleitungen an Leistungserbringer" }).Locator("tbody tr").Filter(new() { HasText = "Jobcenter Kreis" });
        var violations = new List<string>(await web.CheckAsync(page, "Fall: Weiterleitung ohne Antwort"));

        await row.GetByRole(AriaRole.Button, new() { Name = "Angenommen" }).ClickAsync();
        await Assertions.Expect(row.Locator("td").Nth(2)).ToContainTextAsync("angenommen", new() { IgnoreCase = true });
        await row.GetByRole(AriaRole.Button, new() { Name = "Leistung begonnen" }).ClickAsync();
        await Assertions.Expect(row.GetByRole(AriaRole.Button, new() { Name = "Leistung abgeschlossen" })).ToHaveCountAsync(1);

        // Ended without success but no reason given: refused at the field, nothing recorded.
        await row.GetByLabel("Nein").CheckAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Leistung abgeschlossen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".kern-alert--danger")).ToHaveCountAsync(1);
        violations.AddRange(await web.CheckAsync(page, "Fall: Abschluss der Weiterleitung verweigert"));
        await row.GetByLabel("Wenn nicht: warum").SelectOptionAsync(new SelectOptionValue { Label = "keine Kapazität" });
        await row.GetByLabel("Nein").CheckAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Leistung abgeschlossen" }).ClickAsync();
        await Assertions.Expect(row.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);

        using var caseManager = await CaseManagerAsync();
        var referral = (await caseManager.GetFromJsonAsync<JsonElement>($"/api/tenants/kommune/cases/{caseId}")).GetProperty("referrals").EnumerateArray()
            .Single(r => r.GetProperty("id").GetGuid() == referralId);
        Assert.Equal("Completed", referral.GetProperty("status").GetString());
        Assert.False(referral.GetProperty("successful").GetBoolean());
        Assert.Equal("NoCapacity", referral.GetProperty("failureReason").GetString());
        Assert.Equal(JsonValueKind.String, referral.GetProperty("acceptedAt").ValueKind);
        violations.AddRange(await web.CheckAsync(page, "Fall: Weiterleitung abgeschlossen"));
        web.ReportAccessibility(output, "case: answers of a provider without a tenant", checkedBefore, 3, violations);
    }

    /// <summary>A development token for the seeded case manager of kommune (the person the browser signs in as), so that the case is theirs.</summary>
    private async Task<HttpClient> CaseManagerAsync()
    {
        using var lookup = new HttpClient { BaseAddress = web.Platform.GatewayUrl }.WithToken(web.Platform.DevSigningKey, "kommune", KimRoles.CaseManager, "lookup");
        var colleagues = await lookup.GetFromJsonAsync<JsonElement>("/identity/api/identity/tenants/kommune/colleagues");
        var id = colleagues.EnumerateArray().First(c => c.GetProperty("displayName").GetString() == "Fallmanagement (kommune)").GetProperty("id").GetString()!;
        return new HttpClient { BaseAddress = web.Platform.GatewayUrl }.WithToken(web.Platform.DevSigningKey, "kommune", KimRoles.CaseManager, id);
    }

    /// <summary>Through the API: a case of kommune in the service steering with a referral to the jobcenter, issued and unanswered.</summary>
    private async Task<(Guid Case, Guid Referral)> ReferralToJobcenterAsync()
    {
        using var caseManager = await CaseManagerAsync();
        const string cases = "/api/tenants/kommune/cases";
        var id = (await SendAsync(caseManager, HttpMethod.Post, cases, new
        {
            client = new { givenName = "Samir", familyName = "Antwort" + Guid.NewGuid().ToString("N")[..6], birthDate = "1988-05-06", languages = new[] { "ar" }, residenceStatus = "ResidencePermit" },
            accessRoute = "SelfReferral",
            confirmDuplicate = true,
        })).GetProperty("id").GetGuid();
        var today = LocalDay.Of(DateTime.UtcNow);
        await SendAsync(caseManager, HttpMethod.Put, $"{cases}/{id}/indication", new { targetGroup = true, willingToCooperate = true, communicationPossible = true });
        var consent = await SendAsync(caseManager, HttpMethod.Post, $"{cases}/{id}/consents", new { purpose = "CaseManagement", expiresOn = today.AddYears(1) });
        await SendAsync(caseManager, HttpMethod.Post, $"{cases}/{id}/consents/{consent.GetProperty("id").GetGuid()}/give", new { givenBy = "Client", evidenceReference = "Akte 7" });
        await SendAsync(caseManager, HttpMethod.Post, $"{cases}/{id}/advance", new { to = "Assessment" });
        await SendAsync(caseManager, HttpMethod.Put, $"{cases}/{id}/assessments/TrainingWork", new { situation = "Sucht Arbeit", resources = "Erfahrung im Handwerk", needs = "Vermittlung", clientView = "Möchte arbeiten" });
        await SendAsync(caseManager, HttpMethod.Post, $"{cases}/{id}/advance", new { to = "GoalAgreement" });
        var goal = (await SendAsync(caseManager, HttpMethod.Post, $"{cases}/{id}/goals", new { lifeDomain = "TrainingWork", description = "Arbeit aufnehmen", clientAgreed = true, targetDate = today.AddMonths(6) }))
            .GetProperty("goals")[0].GetProperty("id").GetGuid();
        await SendAsync(caseManager, HttpMethod.Post, $"{cases}/{id}/advance", new { to = "ServicePlanning" });
        var item = (await SendAsync(caseManager, HttpMethod.Post, $"{cases}/{id}/plan-items", new { title = "Vermittlung in Arbeit", lifeDomain = "TrainingWork", legalDomain = "SgbII", responsibleOrganisationId = web.Jobcenter, targetDays = 14, goalId = goal }))
            .GetProperty("planItems")[0].GetProperty("id").GetGuid();
        await SendAsync(caseManager, HttpMethod.Post, $"{cases}/{id}/advance", new { to = "ServiceSteering" });
        var issued = await SendAsync(caseManager, HttpMethod.Post, $"{cases}/{id}/referrals", new { planItemId = item, providerOrganisationId = web.Jobcenter, sharePersonalData = false });
        return (id, issued.GetProperty("referrals")[0].GetProperty("id").GetGuid());
    }
}
