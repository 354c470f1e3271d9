using Kim.Contracts;
using Kim.Contracts.Network.Requests;
using Kim.NetworkService.Infrastructure;
using Kim.NetworkService.ServiceChains;
using Kim.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Kim.NetworkService.FunctionalTests;

/// <summary>A CaseService's snapshot request is answered with the whole registry and every adopted chain version (catch-up of a new instance).</summary>
[Collection(NetworkCollection.Name)]
public sealed class NetworkSnapshotTests(NetworkServiceFixture service, ITestOutputHelper output)
{
    [Fact]
    public async Task A_snapshot_request_is_answered_with_every_registered_organisation_and_every_adopted_chain_version()
    {
        var unique = Guid.NewGuid().ToString("N")[..6];
        var client = service.ClientFor();
        var organisationId = (await client.PostAsync("/api/network/organisations", new
        {
            name = "Migrationsberatung " + unique,
            type = "Carrier",
            tenantId = "diakonie",
            contacts = new[] { new { name = "Frau K.", email = $"k-{unique}@diakonie.example" } },
        })).Id();

        // Version 1 adopted and superseded by version 2; version 3 is a draft the steering group has not adopted.
        var chainId = Guid.CreateVersion7();
        await using (var scope = service.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NetworkDbContext>();
            foreach (var (version, status, number) in new[]
            {
                (1, ServiceChainStatus.Superseded, $"LG-{unique}-1"), (2, ServiceChainStatus.Adopted, $"LG-{unique}-2"), (3, ServiceChainStatus.Draft, (string?)null),
            })
            {
                db.ServiceChains.Add(new ServiceChain
                {
                    Id = Guid.CreateVersion7(),
                    ChainId = chainId,
                    Version = version,
                    Title = $"Wohnungssuche v{version}",
                    LifeDomain = LifeDomain.Housing,
                    Steps = [new ChainStepData(1, "Beratung", organisationId, LegalDomain.SgbXII, "Antrag", "Termin", "Standard", 10)],
                    Status = status,
                    ResolutionNumber = number,
                    CreatedAt = DateTime.UtcNow,
                });
            }

            await db.SaveChangesAsync();
        }

        await using var snapshots = await AmqpProbe.BindAsync(service.MessagingUri, "Kim.Contracts.Network:NetworkSnapshotPublished");
        var tenant = "catchup-" + unique;
        var request = new NetworkSnapshotRequested { TenantId = tenant, OccurredAt = DateTime.UtcNow };
        await service.PublishAsync(request, request.MessageId);

        var snapshot = await snapshots.NextContainingAsync(tenant);
        Assert.Equal(tenant, snapshot.Str("requestedBy"));
        var organisations = snapshot.GetProperty("organisations").EnumerateArray().ToList();
        var chains = snapshot.GetProperty("serviceChains").EnumerateArray().Where(c => c.GetProperty("chainId").GetGuid() == chainId).ToList();
        output.WriteLine($"snapshot: {organisations.Count} organisations, {snapshot.GetProperty("serviceChains").GetArrayLength()} chain versions, {snapshot.GetRawText().Length} characters");

        var organisation = Assert.Single(organisations, o => o.GetProperty("organisationId").GetGuid() == organisationId);
        Assert.Equal("Migrationsberatung " + unique, organisation.Str("name"));
        Assert.Equal("Carrier", organisation.Str("type"));
        Assert.Equal("diakonie", organisation.Str("tenantId"));
        Assert.Equal([1, 2], chains.Select(c => c.GetProperty("version").GetInt32()).Order().ToArray());
        var adopted = chains.Single(c => c.GetProperty("version").GetInt32() == 2);
        Assert.Equal($"LG-{unique}-2", adopted.Str("resolutionNumber"));
        Assert.Equal("Wohnungssuche v2", adopted.Str("title"));
        Assert.Equal("Housing", adopted.Str("lifeDomain"));
        var step = Assert.Single(adopted.GetProperty("steps").EnumerateArray());
        Assert.Equal(organisationId, step.GetProperty("responsibleOrganisationId").GetGuid());
        Assert.Equal("Migrationsberatung " + unique, step.Str("responsibleOrganisationName"));
        Assert.Equal("Antrag", step.GetProperty("handover").Str("preconditions"));

        // Organisation data only: no contact of the registry travels with it.
        Assert.DoesNotContain($"k-{unique}@diakonie.example", snapshot.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("Frau K.", snapshot.GetRawText(), StringComparison.Ordinal);
    }
}
