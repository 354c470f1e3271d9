using System.Net;
using System.Text.Json;
using Kim.Contracts;
using Kim.Contracts.Network;
using Kim.Testing;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Kim.CaseService.FunctionalTests;

/// <summary>
/// A CaseService started after the registry and the chains were announced asks NetworkService for a snapshot at
/// start and catches up from it; a snapshot only adds what is unknown, so it never undoes a live event.
/// </summary>
[Collection(CaseServiceCollection.Name)]
public sealed class NetworkCatchUpTests(CaseServiceFixture service, ITestOutputHelper output)
{
    private const string LateTenant = "diakonie";

    [Fact]
    public async Task A_tenant_started_later_asks_for_a_snapshot_and_from_it_accepts_the_referral_and_the_plan_it_refused()
    {
        using var directories = new TestDirectories("caseservice-catchup");
        await using var late = new CaseServiceHost(LateTenant, service.MessagingUri, service.SigningKey, Path.Combine(directories.Path, "caseservice-diakonie.db"), service.Clock);
        await Eventually.HealthyAsync(late.CreateClient());

        // At start, through its outbox: the request NetworkService answers.
        var request = await NextRequestOfAsync(LateTenant);
        output.WriteLine($"request: {request}");

        // It missed the registry and the chain announced before it started: both are refused.
        Assert.Equal((0, 0), await late.WithDbAsync(async db => (await db.ProviderOrganisations.CountAsync(), await db.ServiceChains.CountAsync())));
        var api = new CaseApiClient(late.ClientFor(LateTenant), LateTenant, service.Clock);
        var (id, _) = await api.CaseInAsync("ServicePlanning", "Lina", "Nachzug" + Guid.NewGuid().ToString("N")[..8]);
        var notAdopted = await api.PostAsync($"/cases/{id}/plan-items/from-chain", new { chainId = CaseServiceFixture.WorkChain }, HttpStatusCode.NotFound);
        Assert.Equal("Dienstleistungskette nicht beschlossen", notAdopted.GetProperty("title").GetString());
        var unknown = await api.PostAsync($"/cases/{id}/referrals",
            new { planItemId = Guid.NewGuid(), providerOrganisationId = CaseServiceFixture.Jobcenter, sharePersonalData = false }, HttpStatusCode.BadRequest);
        Assert.Contains("Netzwerkregisters", unknown.GetProperty("errors").GetProperty("providerOrganisationId")[0].GetString(), StringComparison.Ordinal);

        // NetworkService's answer, as it would publish it.
        var snapshot = Snapshot(DateTime.UtcNow);
        await service.PublishAsync(snapshot, snapshot.MessageId);
        await Eventually.TrueAsync(() => AppliedAsync(late, snapshot.MessageId), "diakonie to apply the snapshot");
        var (organisations, chains) = await late.WithDbAsync(async db => (await db.ProviderOrganisations.CountAsync(), await db.ServiceChains.CountAsync()));
        output.WriteLine($"after the snapshot: {organisations} organisations, {chains} chain versions");
        Assert.Equal((3, 1), (organisations, chains));

        var planned = await api.PostAsync($"/cases/{id}/plan-items/from-chain", new { chainId = CaseServiceFixture.WorkChain });
        var jobcenterItem = planned.GetProperty("planItems").EnumerateArray()
            .Single(p => p.GetProperty("responsibleOrganisationId").GetGuid() == CaseServiceFixture.Jobcenter).GetProperty("id").GetGuid();
        await api.PostAsync($"/cases/{id}/advance", new { to = "ServiceSteering" });
        var referred = await api.PostAsync($"/cases/{id}/referrals",
            new { planItemId = jobcenterItem, providerOrganisationId = CaseServiceFixture.Jobcenter, sharePersonalData = false });
        Assert.Equal("Jobcenter Kreis Mettmann", referred.GetProperty("referrals")[0].GetProperty("providerOrganisationName").GetString());
    }

    [Fact]
    public async Task A_snapshot_applied_twice_or_older_than_a_live_event_changes_nothing()
    {
        var advice = Guid.CreateVersion7();
        var housingChain = Guid.CreateVersion7();
        var taken = DateTime.UtcNow;
        var live = new OrganisationRegistered { OrganisationId = advice, Name = "Beratungsstelle (live)", Type = OrganisationType.MigrantOrganisation, OccurredAt = taken.AddSeconds(1) };
        await service.PublishAsync(live);
        await Eventually.TrueAsync(() => AppliedAsync(service.Caritas, live.MessageId, "OrganisationRegisteredHandler"), "caritas to learn the organisation");

        // Taken before the live event: it still names the organisation as before, and restates the adopted chain with another title.
        var older = Snapshot(taken) with
        {
            Organisations = [.. Snapshot(taken).Organisations, live with { Name = "Beratungsstelle (Stand davor)", OccurredAt = taken }],
            ServiceChains = [.. Snapshot(taken).ServiceChains.Select(c => c with { Title = "Anderer Titel" }), Chain(housingChain, "Wohnungssuche", taken)],
        };
        var before = await StateAsync();
        await service.PublishAsync(older, older.MessageId);
        await Eventually.TrueAsync(() => AppliedAsync(service.Caritas, older.MessageId), "caritas to apply the older snapshot");
        var afterOlder = await StateAsync();
        output.WriteLine($"before: {before}; after the older snapshot: {afterOlder}");
        Assert.Equal("Beratungsstelle (live)", afterOlder.Name);
        Assert.Equal("Anerkennung ausländischer Berufsabschlüsse", afterOlder.Title);
        Assert.Equal((before.Organisations, before.Chains + 1), (afterOlder.Organisations, afterOlder.Chains));

        // The same snapshot again (a new message, so the inbox does not skip it): nothing more is added or changed.
        var again = older with { MessageId = Guid.NewGuid() };
        await service.PublishAsync(again, again.MessageId);
        await Eventually.TrueAsync(() => AppliedAsync(service.Caritas, again.MessageId), "caritas to apply the snapshot again");
        var afterAgain = await StateAsync();
        output.WriteLine($"after the same snapshot again: {afterAgain}");
        Assert.Equal(afterOlder, afterAgain);

        Task<(int Organisations, int Chains, string? Name, string Title)> StateAsync() => service.Caritas.WithDbAsync(async db => (
            await db.ProviderOrganisations.CountAsync(),
            await db.ServiceChains.CountAsync(),
            (await db.ProviderOrganisations.SingleOrDefaultAsync(o => o.Id == advice))?.Name,
            (await db.ServiceChains.SingleAsync(c => c.ChainId == CaseServiceFixture.WorkChain && c.Version == 1)).Title));
    }

    /// <summary>What NetworkService answers for the fixture's registry: three organisations and the adopted work chain.</summary>
    private static NetworkSnapshotPublished Snapshot(DateTime takenAt) => new()
    {
        OccurredAt = takenAt,
        RequestedBy = LateTenant,
        Organisations =
        [
            new OrganisationRegistered { OrganisationId = CaseServiceFixture.Jobcenter, Name = "Jobcenter Kreis Mettmann", Type = OrganisationType.Jobcenter, OccurredAt = takenAt.AddDays(-3) },
            new OrganisationRegistered { OrganisationId = CaseServiceFixture.KommuneOffice, Name = "Kommunales Integrationszentrum", Type = OrganisationType.MunicipalOffice, TenantId = "kommune", OccurredAt = takenAt.AddDays(-3) },
            new OrganisationRegistered { OrganisationId = CaseServiceFixture.LanguageSchool, Name = "VHS Sprachkurse", Type = OrganisationType.SchoolOrDaycare, OccurredAt = takenAt.AddDays(-3) },
        ],
        ServiceChains = [Chain(CaseServiceFixture.WorkChain, "Anerkennung ausländischer Berufsabschlüsse", takenAt.AddDays(-2))],
    };

    private static ServiceChainAdopted Chain(Guid chainId, string title, DateTime adoptedAt) => new()
    {
        ChainId = chainId,
        Version = 1,
        Title = title,
        LifeDomain = LifeDomain.TrainingWork,
        ResolutionNumber = "LG-2026-07",
        OccurredAt = adoptedAt,
        Steps =
        [
            new ChainStep(1, "Beratung zur Anerkennung", CaseServiceFixture.LanguageSchool, "VHS Sprachkurse", LegalDomain.SgbIII, new HandoverPoint("Unterlagen", "Termin", "Standard"), 14),
            new ChainStep(2, "Förderung der Anerkennung", CaseServiceFixture.Jobcenter, "Jobcenter Kreis Mettmann", LegalDomain.SgbII, new HandoverPoint("Bescheid", "Kostenzusage", "Standard"), 30),
        ],
    };

    private static Task<bool> AppliedAsync(CaseServiceHost host, Guid messageId, string consumer = "NetworkSnapshotPublishedHandler") =>
        host.WithDbAsync(db => db.InboxMessages.AnyAsync(m => m.MessageId == messageId && m.Consumer == consumer));

    private async Task<string> NextRequestOfAsync(string tenant)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var remaining = deadline - DateTime.UtcNow;
            Assert.True(remaining > TimeSpan.Zero, $"No snapshot request of {tenant} arrived.");
            var message = JsonDocument.Parse(await service.SnapshotRequests.NextAsync(remaining)).RootElement.GetProperty("message");
            if (message.GetProperty("tenantId").GetString() == tenant)
            {
                return message.GetRawText();
            }
        }
    }
}
