using System.Net;
using System.Text.Json;
using Kim.Testing;
using Microsoft.EntityFrameworkCore;

namespace Kim.CaseService.FunctionalTests;

/// <summary>A referral from tenant caritas to the organisation that is tenant kommune, over the real broker.</summary>
[Collection(CaseServiceCollection.Name)]
public sealed class CrossTenantReferralTests(CaseServiceFixture service)
{
    [Fact]
    public async Task Provider_tenant_gets_the_referral_without_identity_until_it_accepts_and_loses_it_when_the_consent_is_withdrawn()
    {
        var caritas = new CaseApiClient(service.Caritas.ClientFor("caritas"), "caritas", service.Clock);
        var kommune = new CaseApiClient(service.Kommune.ClientFor("kommune"), "kommune", service.Clock);
        var familyName = "Kovalenko" + Guid.NewGuid().ToString("N")[..6];
        var (id, _) = await caritas.CaseInAsync("ServicePlanning", "Iryna", familyName);
        var planned = await caritas.PostAsync($"/cases/{id}/plan-items", new
        {
            title = "Wohnberatung",
            lifeDomain = "Housing",
            legalDomain = "SgbXII",
            responsibleOrganisationId = CaseServiceFixture.KommuneOffice,
            targetDays = 10,
        });
        var item = planned.GetProperty("planItems").EnumerateArray().Single(p => p.GetProperty("title").GetString() == "Wohnberatung").GetProperty("id").GetGuid();
        await caritas.PostAsync($"/cases/{id}/advance", new { to = "ServiceSteering" });
        var consent = await caritas.GiveConsentAsync(id, new { purpose = "DataTransferToProvider", providerOrganisationId = CaseServiceFixture.KommuneOffice, expiresOn = caritas.Today.AddYears(1) });
        var issued = await caritas.PostAsync($"/cases/{id}/referrals", new { planItemId = item, providerOrganisationId = CaseServiceFixture.KommuneOffice, sharePersonalData = true });
        var referralId = issued.GetProperty("referrals").EnumerateArray().Single().GetProperty("id").GetGuid();
        Assert.Equal("kommune", issued.GetProperty("referrals")[0].GetProperty("providerTenantId").GetString());

        // The provider tenant decides; the referring tenant can only cancel.
        await caritas.RefusedAsync(HttpMethod.Post, $"/cases/{id}/referrals/{referralId}/status", new { status = "Accepted" }, "provider-tenant-decides");

        var received = await Eventually.ValueAsync(async () => await TryGetAsync(kommune, $"/incoming-referrals/{referralId}"), "kommune to receive the referral");
        Assert.Equal("Wohnberatung", received.Value.GetProperty("planItemTitle").GetString());
        Assert.Equal(JsonValueKind.Null, received.Value.GetProperty("client").ValueKind);
        Assert.DoesNotContain(familyName, received.Value.GetRawText(), StringComparison.Ordinal);

        await kommune.PostAsync($"/incoming-referrals/{referralId}/status", new { status = "Accepted" });
        await Eventually.TrueAsync(async () =>
            (await caritas.GetAsync($"/cases/{id}")).GetProperty("referrals")[0].GetProperty("status").GetString() == "Accepted", "caritas to learn of the acceptance");
        var withIdentity = await Eventually.ValueAsync(async () =>
        {
            var current = await kommune.GetAsync($"/incoming-referrals/{referralId}");
            return current.GetProperty("client").ValueKind == JsonValueKind.Object ? new Box(current) : null;
        }, "the identity to reach kommune");
        Assert.Equal(familyName, withIdentity.Value.GetProperty("client").GetProperty("familyName").GetString());
        var stored = await service.Kommune.WithDbAsync(db => db.IncomingReferrals.SingleAsync(r => r.Id == referralId));
        Assert.DoesNotContain(familyName, stored.ProtectedIdentity!, StringComparison.Ordinal);

        // Withdrawal stops the transfer from then on and reaches the provider tenant.
        await caritas.PostAsync($"/cases/{id}/consents/{consent.GetProperty("id").GetGuid()}/withdraw", new { reason = "Widerruf" });
        await Eventually.TrueAsync(async () =>
            (await kommune.GetAsync($"/incoming-referrals/{referralId}")).GetProperty("consentWithdrawn").GetBoolean(), "the withdrawal to reach kommune");
        var erased = await kommune.GetAsync($"/incoming-referrals/{referralId}");
        Assert.Equal(JsonValueKind.Null, erased.GetProperty("client").ValueKind);
        Assert.Null((await service.Kommune.WithDbAsync(db => db.IncomingReferrals.SingleAsync(r => r.Id == referralId))).ProtectedIdentity);

        // The provider goes on without identity; its status reaches the referring tenant.
        await kommune.PostAsync($"/incoming-referrals/{referralId}/status", new { status = "Started" });
        await Eventually.TrueAsync(async () =>
            (await caritas.GetAsync($"/cases/{id}")).GetProperty("referrals")[0].GetProperty("status").GetString() == "Started", "caritas to learn of the start");

        // The identity message left no personal data in the referring tenant's outbox.
        var outbox = await service.Caritas.WithDbAsync(db => db.OutboxMessages.Where(m => m.MessageType.EndsWith("ReferralIdentityShared")).ToListAsync());
        Assert.NotEmpty(outbox);
        Assert.All(outbox, m => Assert.Equal("", m.Payload));
    }

    [Fact]
    public async Task A_tenant_cannot_act_on_another_tenants_incoming_referrals_through_its_own_service()
    {
        var response = await service.Caritas.ClientFor("kommune").GetAsync("/api/tenants/kommune/incoming-referrals");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var forbidden = await service.Kommune.ClientFor("caritas").GetAsync("/api/tenants/kommune/incoming-referrals");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    private static async Task<Box?> TryGetAsync(CaseApiClient api, string path)
    {
        var response = await api.Http.GetAsync(api.Base + path);
        return response.StatusCode == HttpStatusCode.OK ? new Box(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone()) : null;
    }

    private sealed record Box(JsonElement Value);
}
