using System.Net;
using System.Text.Json;
using Kim.Testing;
using Microsoft.EntityFrameworkCore;

namespace Kim.CaseService.FunctionalTests;

[Collection(CaseServiceCollection.Name)]
public sealed class CaseLifecycleTests(CaseServiceFixture service)
{
    private static readonly string[] CaseEventExchanges =
    [
        "CaseOpened", "CasePhaseChanged", "CaseNotIndicated", "GoalAgreed", "ReferralIssued", "ReferralStatusChanged",
        "CaseReviewHeld", "CaseClosed", "ConsentRevoked",
    ];

    private CaseApiClient Api(string role = "case-manager") => new(service.ClientFor(CaseServiceFixture.Tenant, role), CaseServiceFixture.Tenant, service.Clock);

    [Fact]
    public async Task One_case_walks_from_intake_to_closure_every_gate_refuses_first_and_no_event_carries_personal_data()
    {
        await using var probe = await AmqpProbe.BindAsync(service.MessagingUri, [.. CaseEventExchanges.Select(e => "Kim.Contracts.Cases:" + e)]);
        var api = Api();
        var givenName = "Samira" + Unique();
        var familyName = "Haddad" + Unique();
        var opened = await api.OpenAsync(givenName, familyName, "1991-04-12");
        var id = opened.GetProperty("id").GetGuid();
        var cases = $"/cases/{id}";
        // Every read names what the next advance would be refused for (the front end's stepper shows it), and nothing once it is met.
        Assert.Equal("indication-missing", opened.GetProperty("nextPhaseMissing").GetString());

        // Intake: the indication and the consent for case management come first.
        await api.RefusedAsync(HttpMethod.Post, $"{cases}/advance", new { to = "Assessment" }, "indication-missing");
        await api.PutAsync($"{cases}/indication", new { targetGroup = true, willingToCooperate = true, communicationPossible = true });
        await api.RefusedAsync(HttpMethod.Post, $"{cases}/advance", new { to = "Assessment" }, "consent-missing");
        await api.RefusedAsync(HttpMethod.Post, $"{cases}/advance", new { to = "GoalAgreement" }, "phase-skipped");
        var consent = await api.GiveConsentAsync(id, new { purpose = "CaseManagement", expiresOn = api.Today.AddYears(1) });
        Assert.Equal("Given", consent.GetProperty("status").GetString());
        Assert.Equal("Assessment", (await api.PostAsync($"{cases}/advance", new { to = "Assessment" })).GetProperty("phase").GetString());
        await api.RefusedAsync(HttpMethod.Put, $"{cases}/indication", new { targetGroup = true, willingToCooperate = true, communicationPossible = true }, "intake-over");

        // Assessment needs one complete life domain, with the client's own view.
        await api.RefusedAsync(HttpMethod.Post, $"{cases}/advance", new { to = "GoalAgreement" }, "assessment-missing");
        var assessed = await api.PutAsync($"{cases}/assessments/Language", new { situation = "Deutsch A2", resources = "Motiviert", needs = "B1-Kurs", clientView = "Will schnell Deutsch lernen" });
        Assert.Equal(JsonValueKind.Null, assessed.GetProperty("nextPhaseMissing").ValueKind);
        Assert.Equal("GoalAgreement", (await api.PostAsync($"{cases}/advance", new { to = "GoalAgreement" })).GetProperty("phase").GetString());

        // Going back is explicit and reasoned.
        var back = await api.PostAsync($"{cases}/step-back", new { reason = "Gesundheitliche Lage noch nicht erfasst" });
        Assert.Equal("Assessment", back.GetProperty("phase").GetString());
        Assert.True(back.GetProperty("history").EnumerateArray().Last().GetProperty("isBackward").GetBoolean());
        await api.PostAsync($"{cases}/advance", new { to = "GoalAgreement" });

        // Goals only with the client's agreement; planning needs one.
        await api.RefusedAsync(HttpMethod.Post, $"{cases}/advance", new { to = "ServicePlanning" }, "agreed-goal-missing");
        await api.RefusedAsync(HttpMethod.Post, $"{cases}/goals", new { lifeDomain = "Language", description = "B1 erreichen", clientAgreed = false }, "client-agreement-missing");
        var withGoal = await api.PostAsync($"{cases}/goals", new { lifeDomain = "Language", description = "B1 erreichen", clientAgreed = true, targetDate = api.Today.AddMonths(6) });
        var goalId = withGoal.GetProperty("goals")[0].GetProperty("id").GetGuid();
        await api.PostAsync($"{cases}/advance", new { to = "ServicePlanning" });

        // The plan comes from the adopted service chain: one item per step.
        await api.RefusedAsync(HttpMethod.Post, $"{cases}/advance", new { to = "ServiceSteering" }, "plan-item-missing");
        var planned = await api.PostAsync($"{cases}/plan-items/from-chain", new { chainId = CaseServiceFixture.WorkChain, goalId });
        var items = planned.GetProperty("planItems").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal([1, 2], items.Select(i => i.GetProperty("chainStepOrder").GetInt32()));
        Assert.Equal(30, items[1].GetProperty("targetDays").GetInt32());
        await api.RefusedAsync(HttpMethod.Post, $"{cases}/plan-items/from-chain", new { chainId = CaseServiceFixture.WorkChain }, "chain-already-planned");
        await api.PostAsync($"{cases}/advance", new { to = "ServiceSteering" });

        // Referral: passing the identity needs a consent for that provider.
        var jobcenterItem = items[1].GetProperty("id").GetGuid();
        await api.RefusedAsync(HttpMethod.Post, $"{cases}/referrals",
            new { planItemId = jobcenterItem, providerOrganisationId = CaseServiceFixture.Jobcenter, sharePersonalData = true }, "consent-missing");
        await api.RefusedAsync(HttpMethod.Post, $"{cases}/advance", new { to = "Monitoring" }, "referral-missing");
        await api.GiveConsentAsync(id, new { purpose = "DataTransferToProvider", providerType = "Jobcenter", expiresOn = api.Today.AddYears(1) });
        var referred = await api.PostAsync($"{cases}/referrals",
            new { planItemId = jobcenterItem, providerOrganisationId = CaseServiceFixture.Jobcenter, sharePersonalData = true });
        var referral = referred.GetProperty("referrals")[0];
        var referralId = referral.GetProperty("id").GetGuid();
        Assert.Equal("Issued", referral.GetProperty("status").GetString());
        Assert.Equal("Jobcenter Kreis Mettmann", referral.GetProperty("providerOrganisationName").GetString());
        await api.RefusedAsync(HttpMethod.Post, $"{cases}/referrals/{referralId}/status", new { status = "Started" }, "referral-transition");
        await api.PostAsync($"{cases}/referrals/{referralId}/status", new { status = "Accepted" });
        await api.PostAsync($"{cases}/referrals/{referralId}/status", new { status = "Started" });
        var completed = await api.PostAsync($"{cases}/referrals/{referralId}/status", new { status = "Completed", successful = false, failureReason = "NoCapacity" });
        Assert.Equal("NoCapacity", completed.GetProperty("referrals")[0].GetProperty("failureReason").GetString());

        // Reviews: a conference with outside organisations needs the client's consent for it.
        var review = new { kind = "Conference", heldOn = api.Today, participants = new[] { "Carrier", "Jobcenter" }, outcome = "Alternative Förderung prüfen" };
        await api.RefusedAsync(HttpMethod.Post, $"{cases}/reviews", review, "consent-missing");
        var teamReview = new { kind = "Review", heldOn = api.Today, participants = new[] { "Carrier", "MunicipalOffice" }, coordinatorPresent = false, outcome = "Plan bestätigt" };
        await api.RefusedAsync(HttpMethod.Post, $"{cases}/reviews", teamReview, "coordinator-missing");
        await api.PostAsync($"{cases}/reviews", teamReview with { coordinatorPresent = true });

        await api.PostAsync($"{cases}/advance", new { to = "Monitoring" });
        await api.PostAsync($"{cases}/deliveries", new { planItemId = items[0].GetProperty("id").GetGuid(), delivered = true, recordedOn = api.Today });

        // Closure evaluates every agreed goal.
        await api.RefusedAsync(HttpMethod.Post, $"{cases}/close", new { reason = "Ziele erreicht", evaluations = Array.Empty<object>() }, "goal-evaluation-missing");
        var closed = await api.PostAsync($"{cases}/close", new { reason = "Ziele erreicht", evaluations = new[] { new { goalId, evaluation = "Achieved" } } });
        Assert.Equal("Closed", closed.GetProperty("status").GetString());
        Assert.Equal("Closure", closed.GetProperty("phase").GetString());
        await api.RefusedAsync(HttpMethod.Post, $"{cases}/goals", new { lifeDomain = "Health", description = "x", clientAgreed = true }, "case-closed");

        // Reopening is explicit; withdrawing the consent for case management stops what it covered.
        var reopened = await api.PostAsync($"{cases}/reopen", new { reason = "Neue Problemlage Wohnen" });
        Assert.Equal("Monitoring", reopened.GetProperty("phase").GetString());
        var caseConsent = (await api.GetAsync($"{cases}/consents")).EnumerateArray().First(c => c.GetProperty("purpose").GetString() == "CaseManagement");
        await api.PostAsync($"{cases}/consents/{caseConsent.GetProperty("id").GetGuid()}/withdraw", new { reason = "Möchte keine Begleitung mehr" });
        await api.RefusedAsync(HttpMethod.Post, $"{cases}/deliveries",
            new { planItemId = items[0].GetProperty("id").GetGuid(), delivered = true, recordedOn = api.Today }, "consent-missing");
        await api.PostAsync($"{cases}/close", new { reason = "Einwilligung widerrufen", evaluations = new[] { new { goalId, evaluation = "Achieved" } } });

        var caseKey = await service.WithDbAsync(db => db.Cases.Where(c => c.Id == id).Select(c => c.CaseKey).SingleAsync());
        var events = await EventsOfAsync(probe, caseKey, expected: 20);
        var types = events.Select(e => e.Type).ToList();
        Assert.Equal(
            ["CaseOpened", "CasePhaseChanged", "CasePhaseChanged", "CasePhaseChanged", "CasePhaseChanged", "GoalAgreed", "CasePhaseChanged",
             "CasePhaseChanged", "ReferralIssued", "ReferralStatusChanged", "ReferralStatusChanged", "ReferralStatusChanged", "CaseReviewHeld",
             "CasePhaseChanged", "CasePhaseChanged", "CaseClosed", "CasePhaseChanged", "ConsentRevoked", "CasePhaseChanged"],
            types.Take(19));
        Assert.Equal("CaseClosed", types[^1]);
        var closedEvent = events.First(e => e.Type == "CaseClosed").Message;
        Assert.Equal(1, closedEvent.GetProperty("goalsAgreed").GetInt32());
        Assert.Equal(1, closedEvent.GetProperty("goalsAchieved").GetInt32());
        var revoked = events.Single(e => e.Type == "ConsentRevoked").Message;
        Assert.Equal("CaseManagement", revoked.GetProperty("purpose").GetString());

        foreach (var (type, raw, _) in events)
        {
            foreach (var personal in new[] { givenName, familyName, "1991-04-12", "12.04.1991", "2104 99887", "example.org", "Musterweg", id.ToString() })
            {
                Assert.False(raw.Contains(personal, StringComparison.OrdinalIgnoreCase), $"{type} contains personal data '{personal}': {raw}");
            }
        }
    }

    [Fact]
    public async Task Intake_that_finds_case_management_not_indicated_ends_the_case_and_says_where_the_person_went()
    {
        await using var probe = await AmqpProbe.BindAsync(service.MessagingUri, "Kim.Contracts.Cases:CaseNotIndicated");
        var api = Api();
        var opened = await api.OpenAsync("Oleh" + Unique(), "Bondarenko" + Unique(), "1980-02-02");
        var cases = $"/cases/{opened.GetProperty("id").GetGuid()}";

        await api.PutAsync($"{cases}/indication", new { targetGroup = true, willingToCooperate = false, communicationPossible = true });
        await api.RefusedAsync(HttpMethod.Post, $"{cases}/advance", new { to = "Assessment" }, "indication-negative");
        var ended = await api.PostAsync($"{cases}/not-indicated",
            new { reason = "Einmalige Beratung reicht", referredToType = "OtherCaseManagement" });
        Assert.Equal("NotIndicated", ended.GetProperty("status").GetString());
        await api.RefusedAsync(HttpMethod.Post, $"{cases}/advance", new { to = "Assessment" }, "case-not-indicated");
        await api.RefusedAsync(HttpMethod.Post, $"{cases}/not-indicated", new { reason = "nochmal", referredToType = "Jobcenter" }, "case-not-indicated");

        var raw = await probe.NextAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("OtherCaseManagement", JsonDocument.Parse(raw).RootElement.GetProperty("message").GetProperty("referredTo").GetString());
    }

    [Fact]
    public async Task Consent_terms_are_fixed_once_given_renewal_makes_a_new_record_and_the_receipt_names_no_person()
    {
        var api = Api();
        var familyName = "Receipt" + Unique();
        var opened = await api.OpenAsync("Lina" + Unique(), familyName);
        var id = opened.GetProperty("id").GetGuid();

        var requested = await api.PostAsync($"/cases/{id}/consents", new { purpose = "CaseConference", expiresOn = api.Today.AddMonths(6) }, HttpStatusCode.Created);
        var consentId = requested.GetProperty("id").GetGuid();
        Assert.Equal("Requested", requested.GetProperty("status").GetString());
        await api.PutAsync($"/cases/{id}/consents/{consentId}", new { purpose = "CaseConference", expiresOn = api.Today.AddMonths(9) });
        await api.PostAsync($"/cases/{id}/consents/{consentId}/give", new { givenBy = "Representative", representativeRole = "Vormund", evidenceReference = "Akte 12" });
        await api.RefusedAsync(HttpMethod.Put, $"/cases/{id}/consents/{consentId}", new { purpose = "CaseConference", expiresOn = api.Today.AddYears(2) }, "consent-terms-immutable");
        await api.RefusedAsync(HttpMethod.Post, $"/cases/{id}/consents/{consentId}/give", new { givenBy = "Client", evidenceReference = "x" }, "consent-transition");
        await api.RefusedAsync(HttpMethod.Post, $"/cases/{id}/consents/{consentId}/renew", new { expiresOn = api.Today.AddMonths(3), evidenceReference = "x" }, "consent-expiry");

        var renewal = await api.PostAsync($"/cases/{id}/consents/{consentId}/renew", new { expiresOn = api.Today.AddYears(1), evidenceReference = "Akte 12, Bl. 2" });
        Assert.Equal(consentId, renewal.GetProperty("renewsConsentId").GetGuid());
        Assert.Equal("Given", renewal.GetProperty("status").GetString());
        var all = await api.GetAsync($"/cases/{id}/consents");
        Assert.Equal(["Renewed", "Given"], all.EnumerateArray().Select(c => c.GetProperty("status").GetString()));

        var receipt = await api.GetAsync($"/cases/{id}/consents/{consentId}/receipt");
        Assert.Equal(consentId, receipt.GetProperty("recordId").GetGuid());
        Assert.Equal("CaseConference", receipt.GetProperty("purposes")[0].GetProperty("purpose").GetString());
        Assert.Equal(["requested", "given"], receipt.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("event").GetString()));
        Assert.Equal("Renewed", receipt.GetProperty("state").GetString());
        Assert.DoesNotContain(familyName, receipt.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Work_lists_show_my_cases_by_phase_overdue_referrals_and_due_dates()
    {
        var api = new CaseApiClient(service.ClientFor(CaseServiceFixture.Tenant, "case-manager", "worklist-" + Unique()), CaseServiceFixture.Tenant, service.Clock);
        var (id, steering) = await api.CaseInAsync("ServiceSteering", "Worklist" + Unique(), "Case" + Unique());
        await api.OpenAsync("Second" + Unique(), "Case" + Unique());
        var item = steering.GetProperty("planItems")[0].GetProperty("id").GetGuid();
        await api.PostAsync($"/cases/{id}/referrals", new { planItemId = item, providerOrganisationId = CaseServiceFixture.LanguageSchool, sharePersonalData = false });

        var mine = await api.GetAsync("/cases?mine=true");
        Assert.Equal(2, mine.GetProperty("total").GetInt32());
        var steeringOnly = await api.GetAsync("/cases?mine=true&phase=ServiceSteering");
        Assert.Equal(id, Assert.Single(steeringOnly.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        var paged = await api.GetAsync("/cases?mine=true&take=1&skip=1");
        Assert.Single(paged.GetProperty("items").EnumerateArray());

        var due = await api.GetAsync("/due-dates?withinDays=20");
        Assert.Contains(due.GetProperty("items").EnumerateArray(), d => d.GetProperty("kind").GetString() == "ReferralDue" && d.GetProperty("caseId").GetGuid() == id);

        // 14 target days for the first chain step: 15 days on, the referral is overdue.
        Assert.DoesNotContain((await api.GetAsync("/referrals?overdue=true")).GetProperty("items").EnumerateArray(), r => r.GetProperty("caseId").GetGuid() == id);
        service.Clock.Advance(TimeSpan.FromDays(15));
        var overdue = await api.GetAsync("/referrals?overdue=true");
        Assert.Contains(overdue.GetProperty("items").EnumerateArray(), r => r.GetProperty("caseId").GetGuid() == id && r.GetProperty("overdue").GetBoolean());
    }

    private static string Unique() => Guid.NewGuid().ToString("N")[..8];

    /// <summary>Reads the probe until <paramref name="expected"/> events of the case arrived; returns them in publish order.</summary>
    private static async Task<List<(string Type, string Raw, JsonElement Message)>> EventsOfAsync(AmqpProbe probe, string caseKey, int expected)
    {
        var events = new List<(string, string, JsonElement)>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (events.Count < expected && DateTime.UtcNow < deadline)
        {
            foreach (var raw in await probe.DrainAsync())
            {
                var envelope = JsonDocument.Parse(raw).RootElement;
                var message = envelope.GetProperty("message").Clone();
                if (message.GetProperty("caseKey").GetString() == caseKey)
                {
                    var type = envelope.GetProperty("messageType")[0].GetString()!.Split(':')[^1];
                    events.Add((type, raw, message));
                }
            }

            await Task.Delay(200);
        }

        Assert.True(events.Count >= expected, $"Only {events.Count} of {expected} events arrived: {string.Join(", ", events.Select(e => e.Item1))}");
        return [.. events.OrderBy(e => e.Item3.GetProperty("occurredAt").GetDateTime())];
    }
}
