using System.Net;
using Kim.Contracts.Network;
using Kim.Testing;

namespace Kim.NetworkService.FunctionalTests;

[Collection(NetworkCollection.Name)]
public sealed class AgreementTests(NetworkServiceFixture service)
{
    [Fact]
    public async Task Signing_a_forwarding_contract_publishes_it_once_and_is_audited()
    {
        var client = service.ClientFor(user: "koordination-1");
        var town = await client.PostAsync("/api/network/organisations", new { name = "Stadt Musterhausen " + Guid.NewGuid().ToString("N")[..6], type = "MemberTown", tenantId = "musterhausen" });
        await using var probe = await AmqpProbe.BindAsync(service.MessagingUri, "Kim.Contracts.Network:ForwardingContractSigned");
        var contract = await client.PostAsync("/api/network/agreements", new
        {
            kind = "Forwarding",
            partnerOrganisationId = town.Id(),
            fte = 1.5m,
            supervisionArrangement = "Fachaufsicht durch die Koordinierungsstelle",
            usesCommonInstruments = true,
            validFrom = "2027-01-01",
            validUntil = "2027-12-31",
        });
        Assert.Equal("musterhausen", contract.Str("partnerTenantId"));
        Assert.Equal("Draft", contract.Str("status"));

        var signed = await client.PostAsync($"/api/network/agreements/{contract.Id()}/sign", new { }, HttpStatusCode.OK);
        var twice = await client.PostAsync($"/api/network/agreements/{contract.Id()}/sign", new { }, HttpStatusCode.Conflict);

        Assert.Equal("Signed", signed.Str("status"));
        Assert.Equal("Vereinbarung bereits unterzeichnet", twice.Str("title"));
        var published = await probe.NextContainingAsync(contract.Id().ToString());
        Assert.Equal("musterhausen", published.Str("partnerTenantId"));
        var fte = published.GetProperty("fte");
        Assert.Equal(1.5m, fte.ValueKind == System.Text.Json.JsonValueKind.String
            ? decimal.Parse(fte.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            : fte.GetDecimal());
        Assert.Equal("MemberTown", published.GetProperty("partnerKind").EnumName<ForwardingPartnerKind>());
        var audit = await client.GetJsonAsync($"/api/network/steering/audit?subjectId={contract.Id()}");
        Assert.Equal(["agreement.signed", "agreement.drafted"], audit.EnumerateArray().Select(a => a.Str("action")).ToArray());
        Assert.All(audit.EnumerateArray(), a => Assert.Equal("koordination-1", a.Str("user")));
    }

    [Fact]
    public async Task Signing_a_cooperation_agreement_publishes_it()
    {
        var client = service.ClientFor(user: "koordination-2");
        var carrier = await client.PostAsync("/api/network/organisations", new { name = "Caritasverband " + Guid.NewGuid().ToString("N")[..6], type = "Carrier", tenantId = "caritas" });
        await using var probe = await AmqpProbe.BindAsync(service.MessagingUri, "Kim.Contracts.Network:CooperationAgreementSigned");
        var agreement = await client.PostAsync("/api/network/agreements", new
        {
            kind = "Cooperation",
            partnerOrganisationId = carrier.Id(),
            fte = 0.5m,
            supervisionArrangement = "Gemeinsame Fallbesprechungen mit der Koordinierungsstelle",
            usesCommonInstruments = true,
            validFrom = "2027-01-01",
        });

        await client.PostAsync($"/api/network/agreements/{agreement.Id()}/sign", new { }, HttpStatusCode.OK);

        var published = await probe.NextContainingAsync(agreement.Id().ToString());
        Assert.Equal("caritas", published.Str("partnerTenantId"));
        Assert.Equal("Carrier", published.GetProperty("partnerKind").EnumName<ForwardingPartnerKind>());
        Assert.True(published.GetProperty("usesCommonInstruments").GetBoolean());
    }

    [Fact]
    public async Task Agreements_only_with_carriers_or_member_towns_and_every_bad_field_is_named()
    {
        var client = service.ClientFor();
        var jobcenter = await client.PostAsync("/api/network/organisations", new { name = "Jobcenter Vertrag " + Guid.NewGuid().ToString("N")[..6], type = "Jobcenter" });
        var before = (await client.GetJsonAsync("/api/network/agreements")).GetArrayLength();

        var refused = await client.PostAsync("/api/network/agreements", new
        {
            kind = "Cooperation",
            partnerOrganisationId = jobcenter.Id(),
            fte = 0m,
            supervisionArrangement = "",
            usesCommonInstruments = true,
            validFrom = "2027-01-01",
            validUntil = "2026-01-01",
        }, HttpStatusCode.BadRequest);

        var errors = refused.GetProperty("errors");
        foreach (var field in new[] { "partnerOrganisationId", "fte", "supervisionArrangement", "validUntil" })
        {
            Assert.True(errors.TryGetProperty(field, out _), field);
        }

        Assert.Equal(before, (await client.GetJsonAsync("/api/network/agreements")).GetArrayLength());
    }
}
