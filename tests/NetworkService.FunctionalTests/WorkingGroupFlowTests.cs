using System.Net;
using System.Text.Json;
using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.Contracts.Network;
using Kim.NetworkService.Infrastructure;
using Kim.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Barrier = Kim.Contracts.Cases.Barrier;

namespace Kim.NetworkService.FunctionalTests;

[Collection(NetworkCollection.Name)]
public sealed class WorkingGroupFlowTests(NetworkServiceFixture service)
{
    [Fact]
    public async Task Reconstructions_become_a_theme_a_resolution_mandates_a_group_and_its_chain_is_adopted_and_published()
    {
        var group = await service.SteeringGroupAsync();
        var client = group.Coordinator;
        var tag = "Anerkennung ausländischer Abschlüsse " + Guid.NewGuid().ToString("N")[..6];
        await using var themes = await AmqpProbe.BindAsync(service.MessagingUri, "Kim.Contracts.Network:GenerativeThemeProposed");
        await using var mandates = await AmqpProbe.BindAsync(service.MessagingUri, "Kim.Contracts.Network:WorkingGroupMandated");
        await using var chains = await AmqpProbe.BindAsync(service.MessagingUri, "Kim.Contracts.Network:ServiceChainAdopted");
        await using var goals = await AmqpProbe.BindAsync(service.MessagingUri, "Kim.Contracts.Network:GoalSystemAdopted");

        // Two tenants' CaseServices submit reconstructions; the first names the barrier twice and is counted once.
        var first = Reconstruction("caritas", Barrier(tag), Barrier(tag.ToUpperInvariant()));
        await service.PublishAsync(first);
        await service.PublishAsync(Reconstruction("awo", Barrier(tag)));
        await Eventually.TrueAsync(async () => (await ThemeAsync(client, tag))?.GetProperty("reconstructions").GetInt32() == 2,
            "two reconstructions to back the theme");
        var theme = (await ThemeAsync(client, tag))!.Value;
        Assert.Equal(2, theme.GetProperty("tenants").GetInt32());
        Assert.Equal("Reconstructions", theme.Str("source"));
        Assert.Equal("TrainingWork", theme.Str("lifeDomain"));
        var themeId = theme.Id();
        var proposed = await themes.NextContainingAsync(themeId.ToString());
        Assert.Equal(tag, proposed.Str("title"));

        // The same message delivered again changes nothing.
        var before = await StoredAsync(themeId, first.MessageId);
        var redelivered = new ConsumedMessage(first.MessageId);
        var observing = service.Services.GetRequiredService<IBus>().ConnectConsumeObserver(redelivered);
        try
        {
            await service.PublishAsync(first);
            await redelivered.Consumed.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            observing.Disconnect();
        }

        Assert.Equal(before, await StoredAsync(themeId, first.MessageId));
        Assert.Equal(2, (await ThemeAsync(client, tag))!.Value.GetProperty("reconstructions").GetInt32());

        // A working group exists only as a proposal until the steering group adopts its written mandate.
        var proposal = await client.PostAsync("/api/network/working-groups", new
        {
            name = "PAG Anerkennung " + tag[^6..],
            subject = "Anerkennungsverfahren für Berufsabschlüsse",
            objective = "Verfahren bis zur Anerkennung verkürzen",
            specialRequirements = "Beteiligung der Migrantenorganisationen",
            composition = "Jobcenter, Agentur für Arbeit, Anerkennungsberatung, MSO",
            workingForm = "Monatliche Sitzungen, sechs Monate",
            expectedResultFormat = "Zielsystem und Dienstleistungskette",
            themeId,
        });
        var groupId = proposal.Id();
        Assert.Equal("Proposed", proposal.Str("status"));
        var unmandated = await client.PostAsync($"/api/network/working-groups/{groupId}/members", new { name = "Frau K." }, HttpStatusCode.Conflict);
        Assert.Equal("Arbeitsgruppe ohne Mandat", unmandated.Str("title"));
        Assert.Empty((await client.GetJsonAsync($"/api/network/working-groups/{groupId}")).GetProperty("members").EnumerateArray());

        var mandate = await group.TableAsync("Mandat PAG Anerkennung", "MandateWorkingGroup", groupId);
        var mandated = (await group.DecideInMeetingAsync([(mandate, "Yes", "Yes", "Yes")]))[0];
        Assert.Equal("Adopted", mandated.Str("status"));
        var groupNow = await client.GetJsonAsync($"/api/network/working-groups/{groupId}");
        Assert.Equal("Mandated", groupNow.Str("status"));
        Assert.Equal(mandated.Str("registerNumber"), groupNow.Str("resolutionNumber"));
        var mandateEvent = await mandates.NextContainingAsync(groupId.ToString());
        Assert.Equal(themeId, mandateEvent.GetProperty("themeId").GetGuid());
        Assert.Equal(mandated.Str("registerNumber"), mandateEvent.Str("resolutionNumber"));
        Assert.Equal("Assigned", (await client.GetJsonAsync($"/api/network/themes/{themeId}")).Str("status"));

        await client.PostAsync($"/api/network/working-groups/{groupId}/members", new { name = "Frau K.", organisationId = group.Organisations[0], function = "Leitung" }, HttpStatusCode.OK);
        await client.PostAsync($"/api/network/working-groups/{groupId}/sessions", new { heldOn = "2026-11-20", summary = "Auftakt" }, HttpStatusCode.OK);

        // A goal system needs three reconstructions behind the theme.
        var tooFew = await client.PostAsync($"/api/network/working-groups/{groupId}/goal-systems", GoalTree(), HttpStatusCode.Conflict);
        Assert.Equal("Zu wenige Fallrekonstruktionen", tooFew.Str("title"));
        Assert.Empty((await client.GetJsonAsync($"/api/network/working-groups/{groupId}/goal-systems")).EnumerateArray());
        await service.PublishAsync(Reconstruction("caritas", Barrier(tag)));
        await Eventually.TrueAsync(async () => (await ThemeAsync(client, tag))?.GetProperty("reconstructions").GetInt32() == 3, "a third reconstruction");
        Assert.Equal(2, (await ThemeAsync(client, tag))!.Value.GetProperty("tenants").GetInt32());
        var goalSystem = await client.PostAsync($"/api/network/working-groups/{groupId}/goal-systems", GoalTree());
        Assert.Equal(1, goalSystem.GetProperty("version").GetInt32());

        var chain = await client.PostAsync("/api/network/service-chains", new
        {
            title = "Anerkennung bis Arbeitsaufnahme",
            lifeDomain = "TrainingWork",
            workingGroupId = groupId,
            steps = new object[]
            {
                new
                {
                    activity = "Erstberatung zur Anerkennung", responsibleOrganisationId = group.Organisations[1], legalDomain = "CrossDomain",
                    preconditions = "Zeugnisse liegen vor", guarantees = "Zuständige Stelle ist benannt", standards = "Beratung binnen 10 Tagen", targetDays = 10,
                },
                new
                {
                    activity = "Anpassungsqualifizierung fördern", responsibleOrganisationId = group.Organisations[0], legalDomain = "SgbII",
                    preconditions = "Teilanerkennung", guarantees = "Förderentscheid", standards = "", targetDays = 30,
                },
            },
        });
        var chainMotion = await group.TableAsync("Dienstleistungskette Anerkennung", "AdoptServiceChain", chain.Id());
        var goalMotion = await group.TableAsync("Zielsystem Anerkennung", "AdoptGoalSystem", goalSystem.Id());
        var decided = await group.DecideInMeetingAsync([(chainMotion, "Yes", "Yes", "No"), (goalMotion, "Yes", "Abstain", "Abstain")]);
        Assert.All(decided, d => Assert.Equal("Adopted", d.Str("status")));

        var adopted = await chains.NextContainingAsync(chain.GetProperty("chainId").GetGuid().ToString());
        Assert.Equal(1, adopted.GetProperty("version").GetInt32());
        Assert.Equal(decided[0].Str("registerNumber"), adopted.Str("resolutionNumber"));
        var steps = adopted.GetProperty("steps").EnumerateArray().ToArray();
        Assert.Equal([1, 2], steps.Select(s => s.GetProperty("order").GetInt32()).ToArray());
        Assert.StartsWith("Migrantenselbstorganisation", steps[0].Str("responsibleOrganisationName"), StringComparison.Ordinal);
        Assert.Equal("Zuständige Stelle ist benannt", steps[0].GetProperty("handover").Str("guarantees"));
        Assert.Equal(30, steps[1].GetProperty("targetDays").GetInt32());
        var goalEvent = await goals.NextContainingAsync(goalSystem.Id().ToString());
        Assert.Equal(3, goalEvent.GetProperty("indicators").GetInt32());
        Assert.Equal("Adopted", (await client.GetJsonAsync($"/api/network/service-chains/{chain.Id()}")).Str("status"));

        // A second version supersedes the first once adopted.
        var second = await client.PostAsync("/api/network/service-chains", new
        {
            chainId = chain.GetProperty("chainId").GetGuid(),
            title = "Anerkennung bis Arbeitsaufnahme",
            lifeDomain = "TrainingWork",
            steps = new object[]
            {
                new
                {
                    activity = "Erstberatung", responsibleOrganisationId = group.Organisations[1], legalDomain = "CrossDomain",
                    preconditions = "-", guarantees = "Termin", standards = "", targetDays = 5,
                },
            },
        });
        Assert.Equal(2, second.GetProperty("version").GetInt32());
        await group.DecideInMeetingAsync([(await group.TableAsync("Kette v2", "AdoptServiceChain", second.Id()), "Yes", "Yes", "Yes")]);
        Assert.Equal("Superseded", (await client.GetJsonAsync($"/api/network/service-chains/{chain.Id()}")).Str("status"));
    }

    [Fact]
    public async Task Results_go_back_to_the_steering_group_which_returns_or_adopts_them()
    {
        var group = await service.SteeringGroupAsync();
        var client = group.Coordinator;
        var manual = await client.PostAsync("/api/network/themes", new { title = "Wohnungsnot Großfamilien", tag = "wohnung-" + Guid.NewGuid().ToString("N")[..6], lifeDomain = "Housing" });
        Assert.Equal("Manual", manual.Str("source"));
        Assert.Equal(0, manual.GetProperty("reconstructions").GetInt32());
        var proposal = await client.PostAsync("/api/network/working-groups", new
        {
            name = "PAG Wohnen " + Guid.NewGuid().ToString("N")[..6],
            subject = "Wohnraum",
            objective = "Zugang zu Wohnraum",
            composition = "Wohnungsamt, Träger",
            workingForm = "Workshops",
            expectedResultFormat = "Empfehlungen",
        });
        var groupId = proposal.Id();
        await group.DecideInMeetingAsync([(await group.TableAsync("Mandat PAG Wohnen", "MandateWorkingGroup", groupId), "Yes", "Yes", "Yes")]);

        var assign = await group.TableAsync("Thema Wohnen der PAG zuweisen", "AssignTheme", manual.Id(), new { targetWorkingGroupId = groupId });
        await group.DecideInMeetingAsync([(assign, "Yes", "Yes", "Yes")]);
        var assigned = await client.GetJsonAsync($"/api/network/themes/{manual.Id()}");
        Assert.Equal("Assigned", assigned.Str("status"));
        Assert.Equal(groupId, assigned.GetProperty("workingGroupId").GetGuid());
        var noEvidence = await client.PostAsync($"/api/network/working-groups/{groupId}/goal-systems", GoalTree(), HttpStatusCode.Conflict);
        Assert.Contains("0 Fallrekonstruktion", noEvidence.Str("detail"), StringComparison.Ordinal);

        var result = await client.PostAsync($"/api/network/working-groups/{groupId}/results", new { title = "Empfehlungen", summary = "Zehn Empfehlungen" });
        var returnIt = await group.TableAsync("Ergebnis zurückgeben", "DecideWorkingGroupResult", result.Id(), new { resultDecision = "Return" });
        await group.DecideInMeetingAsync([(returnIt, "Yes", "Yes", "Abstain")]);
        var results = await client.GetJsonAsync($"/api/network/working-groups/{groupId}/results");
        Assert.Equal("Returned", results.EnumerateArray().Single().Str("status"));

        var again = await group.Coordinator.PostAsync("/api/network/steering/motions",
            new { title = "Nochmals", kind = "DecideWorkingGroupResult", subjectId = result.Id(), resultDecision = "Adopt", isBinding = true }, HttpStatusCode.Conflict);
        Assert.Contains("Returned", again.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_adopted_result_is_marked_with_the_resolution_and_cannot_be_decided_again()
    {
        var group = await service.SteeringGroupAsync();
        var client = group.Coordinator;
        await using var resolutions = await AmqpProbe.BindAsync(service.MessagingUri, "Kim.Contracts.Network:ResolutionAdopted");
        var groupId = (await client.PostAsync("/api/network/working-groups", new
        {
            name = "PAG Sprache " + Guid.NewGuid().ToString("N")[..6],
            subject = "Sprachkurse",
            objective = "Wartezeiten verkürzen",
            composition = "VHS, Jobcenter",
            workingForm = "Workshops",
            expectedResultFormat = "Empfehlungen",
        })).Id();
        await group.DecideInMeetingAsync([(await group.TableAsync("Mandat PAG Sprache", "MandateWorkingGroup", groupId), "Yes", "Yes", "Yes")]);
        var result = await client.PostAsync($"/api/network/working-groups/{groupId}/results", new { title = "Kursplanung", summary = "Gemeinsame Kursplanung aller Träger" });
        Assert.Equal("Submitted", result.Str("status"));
        var rejectIt = await group.TableAsync("Ergebnis ablehnen", "DecideWorkingGroupResult", result.Id(), new { resultDecision = "Reject" });
        var adoptIt = await group.TableAsync("Ergebnis übernehmen", "DecideWorkingGroupResult", result.Id(), new { resultDecision = "Adopt" });

        // The motion to reject it fails; the result stays open for the motion to adopt it.
        var decided = await group.DecideInMeetingAsync([(rejectIt, "No", "No", "Abstain"), (adoptIt, "Yes", "Yes", "No")]);

        Assert.Equal("Rejected", decided[0].Str("status"));
        Assert.Equal("Adopted", decided[1].Str("status"));
        var number = decided[1].Str("registerNumber");
        var stored = Assert.Single((await client.GetJsonAsync($"/api/network/working-groups/{groupId}/results")).EnumerateArray());
        Assert.Equal(result.Id(), stored.Id());
        Assert.Equal("Adopted", stored.Str("status"));
        Assert.Equal(number, stored.Str("resolutionNumber"));
        Assert.Equal("Kursplanung", stored.Str("title"));
        Assert.Contains((await client.GetJsonAsync("/api/network/steering/resolutions")).EnumerateArray(),
            r => r.Id() == adoptIt && r.Str("registerNumber") == number && r.GetProperty("subjectId").GetGuid() == result.Id());
        var published = await resolutions.NextContainingAsync(number);
        Assert.Equal(adoptIt, published.GetProperty("resolutionId").GetGuid());
        Assert.Equal("Ergebnis übernehmen", published.Str("title"));

        var again = await client.PostAsync("/api/network/steering/motions",
            new { title = "Ergebnis zurückgeben", kind = "DecideWorkingGroupResult", subjectId = result.Id(), resultDecision = "Return", isBinding = true }, HttpStatusCode.Conflict);
        Assert.Contains("Adopted", again.Str("detail"), StringComparison.Ordinal);
        Assert.Equal("Adopted", Assert.Single((await client.GetJsonAsync($"/api/network/working-groups/{groupId}/results")).EnumerateArray()).Str("status"));
    }

    /// <summary>What the database holds of a theme and of the handling of one message, to compare before and after a redelivery.</summary>
    private async Task<string> StoredAsync(Guid themeId, Guid messageId)
    {
        await using var scope = service.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NetworkDbContext>();
        var theme = await db.Themes.AsNoTracking().SingleAsync(t => t.Id == themeId);
        var evidence = await db.ThemeEvidence.AsNoTracking().Where(e => e.ThemeId == themeId).OrderBy(e => e.Id)
            .Select(e => new { e.Id, e.ReconstructionId, e.TenantId, e.ReceivedAt }).ToListAsync();
        var inbox = await db.InboxMessages.AsNoTracking().Where(m => m.MessageId == messageId).Select(m => new { m.Consumer, m.ReceivedAt }).ToListAsync();
        var proposed = await db.OutboxMessages.AsNoTracking().Where(m => m.MessageType == typeof(GenerativeThemeProposed).FullName).Select(m => m.Id).ToListAsync();
        return JsonSerializer.Serialize(new
        {
            Themes = await db.Themes.CountAsync(),
            Evidence = await db.ThemeEvidence.CountAsync(),
            Inbox = await db.InboxMessages.CountAsync(),
            Proposed = proposed.Order().ToList(),
            Theme = new { theme.Title, theme.Tag, theme.LifeDomain, theme.Source, theme.Status, theme.WorkingGroupId, theme.ProposedAt },
            ThemeEvidence = evidence,
            HandledBy = inbox,
        });
    }

    /// <summary>Completes once the service's bus has finished consuming the message with the given id.</summary>
    private sealed class ConsumedMessage(Guid messageId) : IConsumeObserver
    {
        private readonly TaskCompletionSource consumed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Consumed => consumed.Task;

        public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

        public Task PostConsume<T>(ConsumeContext<T> context) where T : class
        {
            if (context.MessageId == messageId)
            {
                consumed.TrySetResult();
            }

            return Task.CompletedTask;
        }

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
        {
            if (context.MessageId == messageId)
            {
                consumed.TrySetException(exception);
            }

            return Task.CompletedTask;
        }
    }

    private static async Task<JsonElement?> ThemeAsync(HttpClient client, string tag)
    {
        var all = await client.GetJsonAsync("/api/network/themes");
        return all.EnumerateArray().Where(t => t.Str("tag") == tag.ToLowerInvariant()).Select(t => (JsonElement?)t).SingleOrDefault();
    }

    private static Barrier Barrier(string tag) =>
        new(LifeDomain.TrainingWork, LegalDomain.SgbII, "Anerkennung dauert länger als ein Jahr", [tag]);

    private static CaseReconstructionSubmitted Reconstruction(string tenant, params Barrier[] barriers) => new()
    {
        TenantId = tenant,
        ReconstructionId = Guid.NewGuid(),
        Barriers = barriers,
        OccurredAt = DateTime.UtcNow,
    };

    private static object GoalTree() => new
    {
        principalGoal = "Zugewanderte arbeiten ihrer Qualifikation entsprechend",
        indicators = new[] { new { name = "Anerkennungsquote", baseline = 20m, target = 40m, unit = "%", source = "Kammerstatistik" } },
        frameworkGoals = new[]
        {
            new
            {
                text = "Anerkennungsverfahren sind kürzer",
                indicators = new[] { new { name = "Verfahrensdauer", baseline = 14m, target = 8m, unit = "Monate", source = (string?)null } },
                outcomeGoals = new[]
                {
                    new
                    {
                        text = "Beratung erfolgt früh",
                        indicators = new[] { new { name = "Beratung binnen 4 Wochen", baseline = 30m, target = 80m, unit = "%", source = (string?)null } },
                        activities = new[] { "Sprechstunde im Jobcenter" },
                    },
                },
            },
        },
        sourcesOfVerification = new[] { "Fallrekonstruktionen", "Kammerstatistik" },
        criticalAssumptions = new[] { "Landesförderung bleibt bestehen" },
    };
}
