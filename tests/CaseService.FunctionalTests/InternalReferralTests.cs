using System.Text.Json;
using Kim.Contracts;
using Kim.Contracts.Network;
using Kim.Testing;
using Microsoft.EntityFrameworkCore;

namespace Kim.CaseService.FunctionalTests;

/// <summary>
/// A referral to an organisation of the own tenant (a handover inside the coordinating office): no message to a
/// tenant, the case manager records its status, and the chain step is measured like any other.
/// </summary>
[Collection(CaseServiceCollection.Name)]
public sealed class InternalReferralTests(CaseServiceFixture service)
{
    [Fact]
    public async Task A_referral_to_an_organisation_of_the_own_tenant_is_internal_its_status_is_recorded_here_and_its_chain_step_is_published()
    {
        // A chain whose first step lies with the coordinating office itself (tenant kommune).
        var chainId = Guid.CreateVersion7();
        await service.PublishAsync(new ServiceChainAdopted
        {
            ChainId = chainId,
            Version = 1,
            Title = "Erstberatung und Übergabe an das Jobcenter",
            LifeDomain = LifeDomain.TrainingWork,
            ResolutionNumber = "LG-2026-11",
            OccurredAt = DateTime.UtcNow,
            Steps =
            [
                new ChainStep(1, "Klärung im Integrationszentrum", CaseServiceFixture.KommuneOffice, "Kommunales Integrationszentrum", LegalDomain.AufenthG,
                    new HandoverPoint("Aufenthaltsklärung", "Übergabe im Haus", "Standard"), 5),
                new ChainStep(2, "Förderung der Anerkennung", CaseServiceFixture.Jobcenter, "Jobcenter Kreis Mettmann", LegalDomain.SgbII,
                    new HandoverPoint("Bescheid", "Kostenzusage", "Standard"), 30),
            ],
        });
        await Eventually.TrueAsync(() => service.Kommune.WithDbAsync(db => db.ServiceChains.AnyAsync(c => c.ChainId == chainId)), "kommune to learn the chain");

        var kommune = new CaseApiClient(service.Kommune.ClientFor("kommune"), "kommune", service.Clock);
        var (id, _) = await kommune.CaseInAsync("ServicePlanning", "Amina", "Intern" + Guid.NewGuid().ToString("N")[..6]);
        var planned = await kommune.PostAsync($"/cases/{id}/plan-items/from-chain", new { chainId });
        var ownStep = planned.GetProperty("planItems").EnumerateArray()
            .Single(p => p.GetProperty("serviceChainId").GetGuid() == chainId && p.GetProperty("chainStepOrder").GetInt32() == 1).GetProperty("id").GetGuid();
        await kommune.PostAsync($"/cases/{id}/advance", new { to = "ServiceSteering" });

        await using var probe = await AmqpProbe.BindAsync(service.MessagingUri, "Kim.Contracts.Cases:ReferralIssued", "Kim.Contracts.Cases:ReferralStatusChanged");
        var issued = await kommune.PostAsync($"/cases/{id}/referrals", new { planItemId = ownStep, providerOrganisationId = CaseServiceFixture.KommuneOffice, sharePersonalData = false });
        var referral = issued.GetProperty("referrals").EnumerateArray().Single();
        var referralId = referral.GetProperty("id").GetGuid();
        Assert.Equal("Issued", referral.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, referral.GetProperty("providerTenantId").ValueKind);

        // No provider tenant decides: the case manager records acceptance and start.
        var accepted = await kommune.PostAsync($"/cases/{id}/referrals/{referralId}/status", new { status = "Accepted" });
        Assert.Equal("Accepted", accepted.GetProperty("referrals")[0].GetProperty("status").GetString());
        var started = await kommune.PostAsync($"/cases/{id}/referrals/{referralId}/status", new { status = "Started" });
        Assert.Equal("Started", started.GetProperty("referrals")[0].GetProperty("status").GetString());

        // A second internal referral, cancelled: nothing to withdraw at another tenant either.
        var second = (await kommune.PostAsync($"/cases/{id}/referrals", new { planItemId = ownStep, providerOrganisationId = CaseServiceFixture.KommuneOffice, sharePersonalData = false }))
            .GetProperty("referrals").EnumerateArray().Single(r => r.GetProperty("id").GetGuid() != referralId).GetProperty("id").GetGuid();
        await kommune.PostAsync($"/cases/{id}/referrals/{second}/status", new { status = "Cancelled", reason = "Doppelt ausgestellt" });

        // No tenant message to itself, and no incoming referral in its own CaseService.
        var ids = new[] { referralId.ToString(), second.ToString() };
        Assert.Equal(0, await service.Kommune.WithDbAsync(db => db.OutboxMessages.CountAsync(m =>
            (m.MessageType.EndsWith("ReferralForwarded") || m.MessageType.EndsWith("ForwardedReferralWithdrawn")) && (m.Payload.Contains(ids[0]) || m.Payload.Contains(ids[1])))));
        Assert.False(await service.Kommune.WithDbAsync(db => db.IncomingReferrals.AnyAsync(r => r.Id == referralId || r.Id == second)));

        // Reporting measures the handover of the chain step: issued with the step, then accepted.
        var caseKey = await service.Kommune.WithDbAsync(db => db.Cases.Where(c => c.Id == id).Select(c => c.CaseKey).SingleAsync());
        var events = await EventsOfAsync(probe, caseKey, referralId, expected: 3);
        var issuedEvent = events.Single(e => e.Type == "ReferralIssued").Message;
        Assert.Equal(chainId, issuedEvent.GetProperty("serviceChainId").GetGuid());
        Assert.Equal(1, issuedEvent.GetProperty("serviceChainVersion").GetInt32());
        Assert.Equal(1, issuedEvent.GetProperty("chainStepOrder").GetInt32());
        Assert.Equal(CaseServiceFixture.KommuneOffice, issuedEvent.GetProperty("providerOrganisationId").GetGuid());
        Assert.Equal("kommune", issuedEvent.GetProperty("tenantId").GetString());
        Assert.Equal(
            ["Accepted", "Started"],
            events.Where(e => e.Type == "ReferralStatusChanged").Select(e => e.Message.GetProperty("status").GetString()).Order());
    }

    private static async Task<List<(string Type, JsonElement Message)>> EventsOfAsync(AmqpProbe probe, string caseKey, Guid referralId, int expected)
    {
        var events = new List<(string, JsonElement)>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (events.Count < expected && DateTime.UtcNow < deadline)
        {
            foreach (var raw in await probe.DrainAsync())
            {
                var envelope = JsonDocument.Parse(raw).RootElement;
                var message = envelope.GetProperty("message").Clone();
                if (message.GetProperty("caseKey").GetString() == caseKey && message.GetProperty("referralId").GetGuid() == referralId)
                {
                    events.Add((envelope.GetProperty("messageType")[0].GetString()!.Split(':')[^1], message));
                }
            }

            await Task.Delay(200);
        }

        Assert.True(events.Count >= expected, $"Only {events.Count} of {expected} events arrived: {string.Join(", ", events.Select(e => e.Item1))}");
        return events;
    }
}
