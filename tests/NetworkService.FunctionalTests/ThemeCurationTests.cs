using System.Net;
using System.Text.Json;
using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Barrier = Kim.Contracts.Cases.Barrier;

namespace Kim.NetworkService.FunctionalTests;

[Collection(NetworkCollection.Name)]
public sealed class ThemeCurationTests(NetworkServiceFixture service)
{
    [Fact]
    public async Task Steering_members_read_the_anonymised_barriers_behind_a_theme_with_the_providers_and_chain_steps_they_name()
    {
        var coordinator = service.ClientFor();
        var tag = "Sprachkurs Wartezeit " + Suffix();
        var provider = Guid.NewGuid();
        var chain = Guid.NewGuid();
        await service.PublishAsync(Reconstruction("caritas", new Barrier(LifeDomain.TrainingWork, LegalDomain.SgbII, "Wartezeit auf den Integrationskurs", [tag])
        {
            ProviderOrganisationId = provider,
            ServiceChainId = chain,
            ServiceChainVersion = 2,
            ChainStepOrder = 1,
        }));
        var theme = await EventuallyThemeAsync(coordinator, tag, 1);
        await service.PublishAsync(Reconstruction("awo", new Barrier(LifeDomain.TrainingWork, LegalDomain.SgbIII, "Kein Kinderbetreuungsplatz während des Kurses", [tag])
        {
            ProviderOrganisationId = provider,
        }));
        theme = await EventuallyThemeAsync(coordinator, tag, 2);

        var providers = theme.GetProperty("providers").EnumerateArray().ToArray();
        Assert.Equal(provider, Assert.Single(providers).GetProperty("organisationId").GetGuid());
        Assert.Equal(2, providers[0].GetProperty("barriers").GetInt32());
        var step = Assert.Single(theme.GetProperty("chainSteps").EnumerateArray().ToArray());
        Assert.Equal(chain, step.GetProperty("serviceChainId").GetGuid());
        Assert.Equal(2, step.GetProperty("serviceChainVersion").GetInt32());
        Assert.Equal(1, step.GetProperty("chainStepOrder").GetInt32());

        var member = service.ClientFor(KimRoles.SteeringMember, "member-" + Suffix());
        var barriers = (await member.GetJsonAsync($"/api/network/themes/{theme.Id()}/barriers")).EnumerateArray().ToArray();
        Assert.Equal(["Kein Kinderbetreuungsplatz während des Kurses", "Wartezeit auf den Integrationskurs"], barriers.Select(b => b.Str("description")).ToArray());
        Assert.Equal(["awo", "caritas"], barriers.Select(b => b.Str("tenantId")).ToArray());
        Assert.Equal("SgbIII", barriers[0].Str("legalDomain"));
        Assert.Equal(1, barriers[1].GetProperty("chainStepOrder").GetInt32());
        Assert.All(barriers, b => Assert.False(b.TryGetProperty("caseKey", out _)));

        await service.ClientFor(KimRoles.CaseManager).GetJsonAsync($"/api/network/themes/{theme.Id()}/barriers", HttpStatusCode.Forbidden);
        await member.GetJsonAsync($"/api/network/themes/{Guid.NewGuid()}/barriers", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_coordinator_renames_a_theme_and_bad_titles_change_nothing()
    {
        var coordinator = service.ClientFor();
        var theme = await coordinator.PostAsync("/api/network/themes", new { title = "Wohnen", tag = "wohnen-" + Suffix(), lifeDomain = "Housing" });

        var renamed = await coordinator.PutAsync($"/api/network/themes/{theme.Id()}", new { title = "  Wohnraum für Großfamilien " });
        Assert.Equal("Wohnraum für Großfamilien", renamed.Str("title"));
        Assert.Equal(theme.Str("tag"), renamed.Str("tag"));

        var bad = await coordinator.PutAsync($"/api/network/themes/{theme.Id()}", new { title = " " }, HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("title", out _));
        await coordinator.PutAsync($"/api/network/themes/{theme.Id()}", new { title = new string('x', 201) }, HttpStatusCode.BadRequest);
        Assert.Equal("Wohnraum für Großfamilien", (await coordinator.GetJsonAsync($"/api/network/themes/{theme.Id()}")).Str("title"));

        await service.ClientFor(KimRoles.SteeringMember, "member-" + Suffix())
            .PutAsync($"/api/network/themes/{theme.Id()}", new { title = "Anders" }, HttpStatusCode.Forbidden);
        await coordinator.PutAsync($"/api/network/themes/{Guid.NewGuid()}", new { title = "Anders" }, HttpStatusCode.NotFound);

        var audit = await coordinator.GetJsonAsync($"/api/network/steering/audit?subjectId={theme.Id()}");
        Assert.Contains(audit.EnumerateArray(), a => a.Str("action") == "theme.renamed" && a.GetProperty("subjectId").GetGuid() == theme.Id());
    }

    [Fact]
    public async Task Merging_moves_the_evidence_counts_a_reconstruction_once_hides_the_duplicate_and_makes_its_tag_an_alias()
    {
        var coordinator = service.ClientFor();
        var suffix = Suffix();
        var tagA = "Anerkennung " + suffix;
        var tagB = "Berufsanerkennung " + suffix;
        var shared = Reconstruction("caritas", Barrier("Anerkennung dauert zu lange", tagA, tagB));
        await service.PublishAsync(shared);
        await service.PublishAsync(Reconstruction("awo", Barrier("Zuständige Stelle unklar", tagB)));
        var target = await EventuallyThemeAsync(coordinator, tagA, 1);
        var source = await EventuallyThemeAsync(coordinator, tagB, 2);

        var self = await coordinator.PostAsync($"/api/network/themes/{source.Id()}/merge", new { targetThemeId = source.Id() }, HttpStatusCode.BadRequest);
        Assert.True(self.GetProperty("errors").TryGetProperty("targetThemeId", out _));
        await coordinator.PostAsync($"/api/network/themes/{source.Id()}/merge", new { targetThemeId = Guid.NewGuid() }, HttpStatusCode.BadRequest);
        await service.ClientFor(KimRoles.SteeringMember, "member-" + suffix)
            .PostAsync($"/api/network/themes/{source.Id()}/merge", new { targetThemeId = target.Id() }, HttpStatusCode.Forbidden);

        var merged = await coordinator.PostAsync($"/api/network/themes/{source.Id()}/merge", new { targetThemeId = target.Id() }, HttpStatusCode.OK);
        Assert.Equal(target.Id(), merged.Id());
        Assert.Equal(2, merged.GetProperty("reconstructions").GetInt32());
        Assert.Equal(2, merged.GetProperty("tenants").GetInt32());
        var barriers = (await coordinator.GetJsonAsync($"/api/network/themes/{target.Id()}/barriers")).EnumerateArray().Select(b => b.Str("description")).ToArray();
        Assert.Equal(2, barriers.Length);
        Assert.Contains("Zuständige Stelle unklar", barriers);

        var hidden = await coordinator.GetJsonAsync($"/api/network/themes/{source.Id()}");
        Assert.Equal("Merged", hidden.Str("status"));
        Assert.Equal(target.Id(), hidden.GetProperty("mergedIntoId").GetGuid());
        Assert.DoesNotContain((await coordinator.GetJsonAsync("/api/network/themes")).EnumerateArray(), t => t.Id() == source.Id());

        var again = await coordinator.PostAsync($"/api/network/themes/{source.Id()}/merge", new { targetThemeId = target.Id() }, HttpStatusCode.Conflict);
        Assert.Equal("Thema bereits zusammengeführt", again.Str("title"));
        var other = await coordinator.PostAsync("/api/network/themes", new { title = "Andere", tag = "andere-" + suffix, lifeDomain = "TrainingWork" });
        await coordinator.PostAsync($"/api/network/themes/{other.Id()}/merge", new { targetThemeId = source.Id() }, HttpStatusCode.Conflict);
        await coordinator.PutAsync($"/api/network/themes/{source.Id()}", new { title = "Neu" }, HttpStatusCode.Conflict);

        // Later barriers with the alias tag land in the target.
        await service.PublishAsync(Reconstruction("diakonie", Barrier("Gebühren zu hoch", tagB.ToUpperInvariant())));
        await Eventually.TrueAsync(async () => (await coordinator.GetJsonAsync($"/api/network/themes/{target.Id()}")).GetProperty("reconstructions").GetInt32() == 3,
            "the alias tag to feed the target");
        Assert.Equal(0, (await coordinator.GetJsonAsync($"/api/network/themes/{source.Id()}")).GetProperty("reconstructions").GetInt32());

        var audit = await coordinator.GetJsonAsync($"/api/network/steering/audit?subjectId={source.Id()}");
        Assert.Contains(audit.EnumerateArray(), a => a.Str("action") == "theme.merged" && a.GetProperty("subjectId").GetGuid() == source.Id());
    }

    [Fact]
    public async Task A_theme_a_working_group_works_on_is_not_merged_away()
    {
        var coordinator = service.ClientFor();
        var suffix = Suffix();
        var assigned = await coordinator.PostAsync("/api/network/themes", new { title = "Kita", tag = "kita-" + suffix, lifeDomain = "FamilyChildren" });
        var duplicate = await coordinator.PostAsync("/api/network/themes", new { title = "Kitaplatz", tag = "kitaplatz-" + suffix, lifeDomain = "FamilyChildren" });
        await coordinator.PostAsync("/api/network/working-groups", new
        {
            name = "PAG Kita " + suffix,
            subject = "Kita",
            objective = "Plätze",
            composition = "Jugendamt",
            workingForm = "Workshops",
            expectedResultFormat = "Empfehlungen",
            themeId = assigned.Id(),
        });

        var refused = await coordinator.PostAsync($"/api/network/themes/{assigned.Id()}/merge", new { targetThemeId = duplicate.Id() }, HttpStatusCode.Conflict);
        Assert.Equal("Thema einer Arbeitsgruppe zugeordnet", refused.Str("title"));
        Assert.NotEqual("Merged", (await coordinator.GetJsonAsync($"/api/network/themes/{assigned.Id()}")).Str("status"));

        // The other way round keeps the assignment.
        await coordinator.PostAsync($"/api/network/themes/{duplicate.Id()}/merge", new { targetThemeId = assigned.Id() }, HttpStatusCode.OK);
    }

    private static string Suffix() => Guid.NewGuid().ToString("N")[..6];

    private static async Task<JsonElement> EventuallyThemeAsync(HttpClient client, string tag, int reconstructions)
    {
        JsonElement? found = null;
        await Eventually.TrueAsync(async () =>
        {
            var all = await client.GetJsonAsync("/api/network/themes");
            found = all.EnumerateArray().Where(t => t.Str("tag") == tag.ToLowerInvariant()).Select(t => (JsonElement?)t).SingleOrDefault();
            return found?.GetProperty("reconstructions").GetInt32() == reconstructions;
        }, $"{reconstructions} reconstruction(s) behind {tag}");
        return found!.Value;
    }

    private static Barrier Barrier(string description, params string[] tags) => new(LifeDomain.TrainingWork, LegalDomain.SgbII, description, tags);

    private static CaseReconstructionSubmitted Reconstruction(string tenant, params Barrier[] barriers) => new()
    {
        TenantId = tenant,
        ReconstructionId = Guid.NewGuid(),
        Barriers = barriers,
        OccurredAt = DateTime.UtcNow,
    };
}
