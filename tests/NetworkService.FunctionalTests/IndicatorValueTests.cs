using System.Net;
using System.Text.Json;
using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Barrier = Kim.Contracts.Cases.Barrier;

namespace Kim.NetworkService.FunctionalTests;

[Collection(NetworkCollection.Name)]
public sealed class IndicatorValueTests(NetworkServiceFixture service)
{
    [Fact]
    public async Task Actual_values_are_recorded_for_an_adopted_goal_system_and_show_the_progress_against_the_target()
    {
        var group = await service.SteeringGroupAsync();
        var client = group.Coordinator;
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var tag = "Kursplätze " + suffix;
        for (var i = 0; i < 3; i++)
        {
            await service.PublishAsync(new CaseReconstructionSubmitted
            {
                TenantId = "caritas",
                ReconstructionId = Guid.NewGuid(),
                Barriers = [new Barrier(LifeDomain.Language, LegalDomain.AufenthG, "Kein Kursplatz in Reichweite", [tag])],
                OccurredAt = DateTime.UtcNow,
            });
        }

        JsonElement? theme = null;
        await Eventually.TrueAsync(async () =>
        {
            theme = (await client.GetJsonAsync("/api/network/themes")).EnumerateArray()
                .Where(t => t.Str("tag") == tag.ToLowerInvariant()).Select(t => (JsonElement?)t).SingleOrDefault();
            return theme?.GetProperty("reconstructions").GetInt32() == 3;
        }, "three reconstructions");
        var proposal = await client.PostAsync("/api/network/working-groups", new
        {
            name = "PAG Sprache " + suffix,
            subject = "Sprachkurse",
            objective = "Kursplätze",
            composition = "Volkshochschule, Jobcenter",
            workingForm = "Workshops",
            expectedResultFormat = "Zielsystem",
            themeId = theme!.Value.Id(),
        });
        await group.DecideInMeetingAsync([(await group.TableAsync("Mandat PAG Sprache", "MandateWorkingGroup", proposal.Id()), "Yes", "Yes", "Yes")]);
        var draft = await client.PostAsync($"/api/network/working-groups/{proposal.Id()}/goal-systems", GoalTree());
        var ids = draft.GetProperty("indicators").EnumerateArray().Select(i => i.Str("indicatorId")).ToArray();
        Assert.Equal(["p-1", "f1-1", "f1-o1-1"], ids);
        Assert.Equal(JsonValueKind.Null, draft.GetProperty("indicators")[0].GetProperty("progress").ValueKind);

        var url = $"/api/network/goal-systems/{draft.Id()}/indicators/f1-1/values";
        var value = new { value = 11m, measuredOn = "2026-03-31", source = "Statistik Jobcenter 03/2026" };
        var notInForce = await client.PostAsync(url, value, HttpStatusCode.Conflict);
        Assert.Equal("Zielsystem nicht in Kraft", notInForce.Str("title"));

        await group.DecideInMeetingAsync([(await group.TableAsync("Zielsystem Sprache", "AdoptGoalSystem", draft.Id()), "Yes", "Yes", "Yes")]);

        var bad = await client.PostAsync(url, new { value = (decimal?)null, measuredOn = "2999-01-01", source = " " }, HttpStatusCode.BadRequest);
        var errors = bad.GetProperty("errors");
        Assert.True(errors.TryGetProperty("value", out _));
        Assert.Contains("Zukunft", errors.GetProperty("measuredOn")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("source", out _));
        await client.PostAsync($"/api/network/goal-systems/{draft.Id()}/indicators/f9-1/values", value, HttpStatusCode.NotFound);
        await service.ClientFor(KimRoles.SteeringMember, "member-" + suffix).PostAsync(url, value, HttpStatusCode.Forbidden);
        Assert.Empty((await client.GetJsonAsync(url)).EnumerateArray());

        await client.PostAsync(url, value);
        await client.PostAsync(url, new { value = 12.5m, measuredOn = "2026-01-31", source = "Statistik Jobcenter 01/2026" });

        var values = (await client.GetJsonAsync(url)).EnumerateArray().ToArray();
        Assert.Equal(["2026-03-31", "2026-01-31"], values.Select(v => v.Str("measuredOn")).ToArray());

        // Verfahrensdauer: baseline 14, target 8, latest (by measurement date) 11: half the way.
        var indicator = (await client.GetJsonAsync($"/api/network/goal-systems/{draft.Id()}")).GetProperty("indicators")
            .EnumerateArray().Single(i => i.Str("indicatorId") == "f1-1");
        Assert.Equal(11m, indicator.GetProperty("latestValue").GetDecimal());
        Assert.Equal("2026-03-31", indicator.Str("latestMeasuredOn"));
        Assert.Equal("Statistik Jobcenter 03/2026", indicator.Str("latestSource"));
        Assert.Equal(0.5m, indicator.GetProperty("progress").GetDecimal());
        Assert.Equal("Anerkennungsverfahren sind kürzer", indicator.Str("goal"));
    }

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
        sourcesOfVerification = new[] { "Fallrekonstruktionen" },
        criticalAssumptions = new[] { "Landesförderung bleibt bestehen" },
    };
}
