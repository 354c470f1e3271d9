using System.Net;
using System.Text.Json;
using Kim.Contracts;
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
        Assert.Equal("Carrier", published.GetProperty("partnerType").EnumName<OrganisationType>());
        Assert.True(published.GetProperty("usesCommonInstruments").GetBoolean());
    }

    [Theory]
    [InlineData("Jobcenter", "Jobcenter Kooperation ")]
    [InlineData("ImmigrationAuthority", "Ausländerbehörde Kooperation ")]
    public async Task A_cooperation_agreement_with_an_authority_without_a_tenant_is_drafted_signed_and_published_with_its_type(string type, string name)
    {
        var client = service.ClientFor(user: "koordination-3");
        var authority = await client.PostAsync("/api/network/organisations", new { name = name + Guid.NewGuid().ToString("N")[..6], type });
        await using var probe = await AmqpProbe.BindAsync(service.MessagingUri, "Kim.Contracts.Network:CooperationAgreementSigned");
        var agreement = await client.PostAsync("/api/network/agreements", new
        {
            kind = "Cooperation",
            partnerOrganisationId = authority.Id(),
            fte = 0.25m,
            supervisionArrangement = "Feste Ansprechperson, monatliche Abstimmung mit der Koordinierungsstelle",
            usesCommonInstruments = false,
            validFrom = "2027-01-01",
        });
        Assert.Equal(type, agreement.Str("partnerType"));
        Assert.Equal(JsonValueKind.Null, agreement.GetProperty("partnerKind").ValueKind);
        Assert.Equal(JsonValueKind.Null, agreement.GetProperty("partnerTenantId").ValueKind);

        var signed = await client.PostAsync($"/api/network/agreements/{agreement.Id()}/sign", new { }, HttpStatusCode.OK);
        Assert.Equal("Signed", signed.Str("status"));
        var listed = (await client.GetJsonAsync("/api/network/agreements")).EnumerateArray().Single(a => a.Id() == agreement.Id());
        Assert.Equal(type, listed.Str("partnerType"));

        var published = await probe.NextContainingAsync(agreement.Id().ToString());
        Assert.Equal(type, published.GetProperty("partnerType").EnumName<OrganisationType>());
        Assert.Equal(JsonValueKind.Null, published.GetProperty("partnerKind").ValueKind);
        Assert.Equal(JsonValueKind.Null, published.GetProperty("partnerTenantId").ValueKind);
        Assert.False(published.GetProperty("usesCommonInstruments").GetBoolean());
    }

    [Theory]
    [InlineData("Jobcenter")]
    [InlineData("ImmigrationAuthority")]
    public async Task A_forwarding_contract_only_with_a_carrier_or_member_town_and_every_bad_field_is_named(string type)
    {
        var client = service.ClientFor();
        var authority = await client.PostAsync("/api/network/organisations", new { name = "Vertrag " + type + " " + Guid.NewGuid().ToString("N")[..6], type, tenantId = "behoerde" });
        var before = (await client.GetJsonAsync("/api/network/agreements")).GetArrayLength();

        var refused = await client.PostAsync("/api/network/agreements", new
        {
            kind = "Forwarding",
            partnerOrganisationId = authority.Id(),
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

        Assert.Contains("Weiterleitungsverträge werden nur mit einem Träger oder einer kreisangehörigen Kommune geschlossen",
            errors.GetProperty("partnerOrganisationId")[0].GetString(), StringComparison.Ordinal);

        // Refused as a forwarding contract even when the rest is right.
        await client.PostAsync("/api/network/agreements", new
        {
            kind = "Forwarding",
            partnerOrganisationId = authority.Id(),
            fte = 1m,
            supervisionArrangement = "Fachaufsicht durch die Koordinierungsstelle",
            usesCommonInstruments = true,
            validFrom = "2027-01-01",
        }, HttpStatusCode.BadRequest);
        Assert.Equal(before, (await client.GetJsonAsync("/api/network/agreements")).GetArrayLength());
    }

    [Fact]
    public async Task A_forwarding_contract_needs_the_partners_tenant()
    {
        var client = service.ClientFor();
        var carrier = await client.PostAsync("/api/network/organisations", new { name = "Diakonie ohne Mandant " + Guid.NewGuid().ToString("N")[..6], type = "Carrier" });
        var contract = new
        {
            kind = "Forwarding",
            partnerOrganisationId = carrier.Id(),
            fte = 1m,
            supervisionArrangement = "Fachaufsicht durch die Koordinierungsstelle",
            usesCommonInstruments = true,
            validFrom = "2027-01-01",
        };
        var refused = await client.PostAsync("/api/network/agreements", contract, HttpStatusCode.BadRequest);
        Assert.True(refused.GetProperty("errors").TryGetProperty("partnerTenantId", out _));

        // A cooperation agreement with the same carrier needs none.
        var cooperation = await client.PostAsync("/api/network/agreements", contract with { kind = "Cooperation" });
        Assert.Equal("Carrier", cooperation.Str("partnerKind"));
        Assert.Equal(JsonValueKind.Null, cooperation.GetProperty("partnerTenantId").ValueKind);
    }
}
