using System.Net;
using System.Text.Json;
using Kim.Testing;

namespace Kim.CaseService.FunctionalTests;

/// <summary>A reconstruction's barrier may name the provider and the step of an adopted chain where it occurred.</summary>
[Collection(CaseServiceCollection.Name)]
public sealed class ReconstructionBarrierTests(CaseServiceFixture service)
{
    private CaseApiClient Coordinator() => new(service.ClientFor(CaseServiceFixture.Tenant, "coordinator", "koordination"), CaseServiceFixture.Tenant, service.Clock);

    private static object Reconstruction(object barrier) => new { title = "Anerkennung dauert", barriers = new[] { barrier } };

    [Fact]
    public async Task A_barrier_names_a_chain_step_and_its_provider_and_both_reach_the_event()
    {
        await using var probe = await AmqpProbe.BindAsync(service.MessagingUri, "Kim.Contracts.Cases:CaseReconstructionSubmitted");

        var created = await Coordinator().PostAsync("/reconstructions", Reconstruction(new
        {
            lifeDomain = "TrainingWork",
            legalDomain = "SgbII",
            description = "Kostenzusage erst nach vier Monaten",
            themeTags = new[] { "Wartezeit" },
            providerOrganisationId = CaseServiceFixture.Jobcenter,
            serviceChainId = CaseServiceFixture.WorkChain,
            serviceChainVersion = 1,
            chainStepOrder = 2,
        }), HttpStatusCode.Created);

        var message = JsonDocument.Parse(await probe.NextAsync(TimeSpan.FromSeconds(20))).RootElement.GetProperty("message");
        Assert.Equal(created.GetProperty("id").GetGuid(), message.GetProperty("reconstructionId").GetGuid());
        var barrier = message.GetProperty("barriers")[0];
        Assert.Equal(CaseServiceFixture.Jobcenter, barrier.GetProperty("providerOrganisationId").GetGuid());
        Assert.Equal(CaseServiceFixture.WorkChain, barrier.GetProperty("serviceChainId").GetGuid());
        Assert.Equal((1, 2), (barrier.GetProperty("serviceChainVersion").GetInt32(), barrier.GetProperty("chainStepOrder").GetInt32()));
    }

    [Fact]
    public async Task A_step_or_provider_the_network_does_not_know_is_refused_in_german_and_nothing_is_stored()
    {
        var before = await service.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Reconstructions));
        object Barrier(Guid? provider, Guid? chain, int? version, int? step) => new
        {
            lifeDomain = "TrainingWork",
            legalDomain = "SgbII",
            description = "Lange Wartezeit",
            providerOrganisationId = provider,
            serviceChainId = chain,
            serviceChainVersion = version,
            chainStepOrder = step,
        };

        var unknownStep = await Coordinator().PostAsync("/reconstructions", Reconstruction(Barrier(null, CaseServiceFixture.WorkChain, 1, 9)), HttpStatusCode.BadRequest);
        var unknownVersion = await Coordinator().PostAsync("/reconstructions", Reconstruction(Barrier(null, CaseServiceFixture.WorkChain, 7, 1)), HttpStatusCode.BadRequest);
        var unknownProvider = await Coordinator().PostAsync("/reconstructions", Reconstruction(Barrier(Guid.NewGuid(), null, null, null)), HttpStatusCode.BadRequest);
        var partial = await Coordinator().PostAsync("/reconstructions", Reconstruction(Barrier(null, CaseServiceFixture.WorkChain, null, 1)), HttpStatusCode.BadRequest);

        Assert.Contains("beschlossenen Dienstleistungskette", unknownStep.GetProperty("errors").GetProperty("barriers[0].chainStepOrder")[0].GetString(), StringComparison.Ordinal);
        Assert.True(unknownVersion.GetProperty("errors").TryGetProperty("barriers[0].chainStepOrder", out _));
        Assert.Contains("Netzwerkregisters", unknownProvider.GetProperty("errors").GetProperty("barriers[0].providerOrganisationId")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("nur zusammen", partial.GetProperty("errors").GetProperty("barriers[0].serviceChainId")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await service.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Reconstructions)));
    }
}
