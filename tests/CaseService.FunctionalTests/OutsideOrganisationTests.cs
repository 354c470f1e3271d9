using System.Net;
using System.Text.Json;
using Kim.CaseService.Cases;
using Kim.CaseService.Protection;
using Kim.CaseService.Referrals;
using Kim.Contracts;
using Kim.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kim.CaseService.FunctionalTests;

/// <summary>What reaches or names organisations and people outside the case management: meetings, the end of the intake, reconstructions.</summary>
[Collection(CaseServiceCollection.Name)]
public sealed class OutsideOrganisationTests(CaseServiceFixture service)
{
    private CaseApiClient Api(string role = "case-manager", string user = "test-user") =>
        new(service.ClientFor(CaseServiceFixture.Tenant, role, user), CaseServiceFixture.Tenant, service.Clock);

    [Fact]
    public async Task A_review_with_outside_organisations_needs_the_conference_consent_like_a_conference()
    {
        var api = Api();
        var (id, _) = await api.CaseInAsync("Assessment", "Samir", "Besprechung" + Unique());
        var withAuthorities = new
        {
            kind = "Review",
            heldOn = api.Today,
            participants = new[] { "Jobcenter", "ImmigrationAuthority" },
            coordinatorPresent = true,
            outcome = "Aufenthalt und Arbeit abgestimmt",
        };
        await api.RefusedAsync(HttpMethod.Post, $"/cases/{id}/reviews", withAuthorities, "consent-missing");
        await api.RefusedAsync(HttpMethod.Post, $"/cases/{id}/reviews", withAuthorities with { participants = new[] { "Carrier", "OtherCaseManagement" } }, "consent-missing");
        Assert.Equal(0, await service.WithDbAsync(db => db.Reviews.CountAsync(r => r.CaseId == id)));

        // Inside the case management (coordinating office, carriers, member towns) the team review needs no such consent.
        await api.PostAsync($"/cases/{id}/reviews", withAuthorities with { participants = new[] { "Carrier", "MunicipalOffice", "MemberTown" } });

        await api.GiveConsentAsync(id, new { purpose = "CaseConference", expiresOn = api.Today.AddYears(1) });
        var held = await api.PostAsync($"/cases/{id}/reviews", withAuthorities);
        Assert.Equal(2, held.GetProperty("reviews").GetArrayLength());
    }

    [Fact]
    public async Task Not_indicated_names_an_organisation_of_the_type_given_and_returns_it()
    {
        var api = Api();
        var opened = await api.OpenAsync("Nadia", "Verwiesen" + Unique());
        var id = opened.GetProperty("id").GetGuid();

        var problem = await api.PostAsync($"/cases/{id}/not-indicated",
            new { reason = "Arbeitsvermittlung reicht", referredToType = "ImmigrationAuthority", referredToOrganisationId = CaseServiceFixture.Jobcenter },
            HttpStatusCode.BadRequest);
        var messages = problem.GetProperty("errors").GetProperty("referredToOrganisationId").EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.Contains(messages, m => m!.Contains("Art der Stelle", StringComparison.Ordinal));
        Assert.Equal("Open", (await api.GetAsync($"/cases/{id}")).GetProperty("status").GetString());

        // Bound before the event: an event no queue takes would stay in the outbox and reach the next test's probe.
        await using var probe = await AmqpProbe.BindAsync(service.MessagingUri, "Kim.Contracts.Cases:CaseNotIndicated");
        var ended = await api.PostAsync($"/cases/{id}/not-indicated",
            new { reason = "Arbeitsvermittlung reicht", referredToType = "Jobcenter", referredToOrganisationId = CaseServiceFixture.Jobcenter });
        Assert.Equal("NotIndicated", ended.GetProperty("status").GetString());
        Assert.Equal(CaseServiceFixture.Jobcenter, ended.GetProperty("referredToOrganisationId").GetGuid());
        Assert.Equal(CaseServiceFixture.Jobcenter, (await api.GetAsync($"/cases/{id}")).GetProperty("referredToOrganisationId").GetGuid());
        var caseKey = (await service.WithDbAsync(db => db.Cases.SingleAsync(c => c.Id == id))).CaseKey;
        var raw = await probe.NextAsync(TimeSpan.FromSeconds(30));
        while (!raw.Contains(caseKey, StringComparison.Ordinal))
        {
            raw = await probe.NextAsync(TimeSpan.FromSeconds(30));
        }

        Assert.Equal("Jobcenter", JsonDocument.Parse(raw).RootElement.GetProperty("message").GetProperty("referredTo").GetString());
    }

    [Fact]
    public async Task Withdrawing_the_consent_for_a_provider_outside_the_platform_is_recorded_and_ends_the_identity_transfer_to_it()
    {
        var api = Api();
        var (id, steering) = await api.CaseInAsync("ServiceSteering", "Tarek", "Widerruf" + Unique());
        var jobcenterItem = steering.GetProperty("planItems").EnumerateArray()
            .Single(p => p.GetProperty("responsibleOrganisationId").GetGuid() == CaseServiceFixture.Jobcenter).GetProperty("id").GetGuid();
        var consentId = (await api.GiveConsentAsync(id, new { purpose = "DataTransferToProvider", providerOrganisationId = CaseServiceFixture.Jobcenter, expiresOn = api.Today.AddYears(1) }))
            .GetProperty("id").GetGuid();
        var referral = (await api.PostAsync($"/cases/{id}/referrals", new { planItemId = jobcenterItem, providerOrganisationId = CaseServiceFixture.Jobcenter, sharePersonalData = true }))
            .GetProperty("referrals")[0];
        var referralId = referral.GetProperty("id").GetGuid();
        Assert.Equal(JsonValueKind.Null, referral.GetProperty("consentWithdrawnAt").ValueKind);

        await using var probe = await AmqpProbe.BindAsync(service.MessagingUri, "Kim.Contracts.Cases:ConsentRevoked");
        var withdrawn = await api.PostAsync($"/cases/{id}/consents/{consentId}/withdraw", new { reason = "Keine Daten an das Jobcenter" });
        Assert.Equal("Withdrawn", withdrawn.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, withdrawn.GetProperty("withdrawnAt").ValueKind);
        Assert.Equal("Keine Daten an das Jobcenter", withdrawn.GetProperty("withdrawalReason").GetString());

        // The referral loses its cover and goes on without the identity; no identity may go to the provider any more.
        var after = (await api.GetAsync($"/cases/{id}")).GetProperty("referrals").EnumerateArray().Single(r => r.GetProperty("id").GetGuid() == referralId);
        Assert.NotEqual(JsonValueKind.Null, after.GetProperty("consentWithdrawnAt").ValueKind);
        Assert.Equal("Issued", after.GetProperty("status").GetString());
        await api.PostAsync($"/cases/{id}/referrals/{referralId}/status", new { status = "Accepted" });
        var again = new { planItemId = jobcenterItem, providerOrganisationId = CaseServiceFixture.Jobcenter, sharePersonalData = true };
        await api.RefusedAsync(HttpMethod.Post, $"/cases/{id}/referrals", again, "consent-missing");
        await api.PostAsync($"/cases/{id}/referrals", again with { sharePersonalData = false });

        // Recorded: in the audit log, on the receipt handed to the client, and as an event naming the provider.
        Assert.Equal(1, await service.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.Action == "consent.withdrawn" && a.ResourceId == consentId.ToString())));
        var receipt = await api.GetAsync($"/cases/{id}/consents/{consentId}/receipt");
        Assert.Equal("Withdrawn", receipt.GetProperty("state").GetString());
        var last = receipt.GetProperty("events").EnumerateArray().Last();
        Assert.Equal("withdrawn", last.GetProperty("event").GetString());
        Assert.Equal("Keine Daten an das Jobcenter", last.GetProperty("detail").GetString());
        var caseKey = (await service.WithDbAsync(db => db.Cases.SingleAsync(c => c.Id == id))).CaseKey;
        var raw = await probe.NextAsync(TimeSpan.FromSeconds(30));
        while (!raw.Contains(caseKey, StringComparison.Ordinal))
        {
            raw = await probe.NextAsync(TimeSpan.FromSeconds(30));
        }

        var revoked = JsonDocument.Parse(raw).RootElement.GetProperty("message");
        Assert.Equal("DataTransferToProvider", revoked.GetProperty("purpose").GetString());
        Assert.Equal(CaseServiceFixture.Jobcenter, revoked.GetProperty("providerOrganisationId").GetGuid());

        // The provider is no tenant: the platform holds no copy there that a message could erase (see docs/state-machine.md).
        Assert.Equal(0, await service.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.MessageType.EndsWith("ForwardedReferralWithdrawn") && m.Payload.Contains(referralId.ToString()))));
    }

    [Fact]
    public async Task A_reconstruction_naming_a_client_received_through_a_referral_is_refused()
    {
        // A client of another tenant, whose identity this tenant received with an accepted referral.
        var familyName = "Empfangen" + Unique();
        var referralId = Guid.CreateVersion7();
        var protector = service.Caritas.Services.GetRequiredService<IdentityProtector>();
        await service.Caritas.WithDbAsync(async db =>
        {
            db.IncomingReferrals.Add(new IncomingReferral
            {
                Id = referralId,
                SourceTenantId = "kommune",
                SourceCaseKey = "k-" + Unique(),
                PlanItemTitle = "Wohnberatung",
                LifeDomain = LifeDomain.Housing,
                LegalDomain = LegalDomain.SgbXII,
                TargetDays = 10,
                IdentityCovered = true,
                Status = ReferralStatus.Accepted,
                ReceivedAt = service.Clock.GetUtcNow().UtcDateTime,
                ProtectedIdentity = protector.Protect(referralId, new ClientIdentity("Leyla", familyName, new DateOnly(1983, 7, 21), "+49 211 1", null, null)),
            });
            return await db.SaveChangesAsync();
        });
        var coordinator = Api("coordinator", "koordination");

        foreach (var leak in new[] { $"Frau {familyName} wartete acht Monate", "geboren am 21. Juli 1983, wartete lange" })
        {
            var problem = await coordinator.PostAsync("/reconstructions", new
            {
                title = "Wohnungssuche nach Auszug",
                barriers = new[] { new { lifeDomain = "Housing", legalDomain = "SgbXII", description = leak, themeTags = new[] { "Wohnen" } } },
            }, HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("barriers[0].description", out _), leak);
            Assert.DoesNotContain(familyName, problem.GetRawText(), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_reconstruction_naming_a_client_by_a_name_a_correction_replaced_is_refused()
    {
        var caseManager = Api("case-manager", "ehe-" + Unique());
        var maidenName = "Bergmannova" + new string(Unique().Where(char.IsAsciiLetter).ToArray());
        var opened = await caseManager.OpenAsync("Alina", maidenName);
        var id = opened.GetProperty("id").GetGuid();
        await caseManager.PutAsync($"/cases/{id}/client", new { client = new { givenName = "Alina", familyName = "Novak", birthDate = "1991-04-12" }, reason = "Heirat" });

        var problem = await Api("coordinator", "koordination").PostAsync("/reconstructions", new
        {
            title = "Anerkennung des Abschlusses",
            barriers = new[] { new { lifeDomain = "TrainingWork", legalDomain = "SgbII", description = $"Frau {maidenName} wartete auf die Anerkennung", themeTags = new[] { "Arbeit" } } },
        }, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("barriers[0].description", out _));
    }

    private static string Unique() => Guid.NewGuid().ToString("N")[..8];
}
