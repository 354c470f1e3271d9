using System.Text.Json;
using Kim.Cli.Demo;
using Kim.Testing;
using Xunit.Abstractions;

namespace Kim.EndToEnd.Tests;

/// <summary>
/// The KIM loop end to end on a year of imported history, as the <c>demo</c> command plays it through the gateway:
/// referrals stall at the immigration office, the ranking puts that step first, reconstructions name the barrier, the
/// theme gathers support, the steering group mandates a working group and adopts version 2 of the chain, the handovers
/// after it are faster, and the site's dimension scores and implementation type move.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class KimLoopTests(PlatformFixture platform, ITestOutputHelper output)
{
    [Fact]
    public async Task The_loop_on_imported_history_ranks_the_stall_first_raises_a_theme_adopts_version_2_and_shows_the_improvement()
    {
        using var client = new DemoClient(platform.Platform.GatewayUrl, platform.Platform.DevSigningKey);
        var log = new StringWriter();
        var outcome = await new DemoScenario(client, log, ["kommune", "caritas"]).RunAsync(40, CancellationToken.None);
        output.WriteLine(log.ToString());
        var office = client.As("kommune", "coordinator", "loop-test");

        // The stalled step of version 1 ranks first, named by chain, activity and provider, with the barriers named there.
        var referrals = await office.GetAsync("/api/reports/referrals", CancellationToken.None);
        var first = referrals.GetProperty("bottlenecks")[0];
        Assert.Equal(outcome.ChainId, first.GetProperty("chainId").GetGuid());
        Assert.Equal(1, first.GetProperty("version").GetInt32());
        Assert.Equal(2, first.GetProperty("step").GetInt32());
        Assert.Equal(DemoScenario.StalledProviderName, first.GetProperty("provider").GetString());
        Assert.Equal("Beschäftigungserlaubnis prüfen und erteilen", first.GetProperty("activity").GetString());
        Assert.Equal(outcome.Reconstructions, first.GetProperty("barriers").GetInt32());
        Assert.True(first.GetProperty("sharePastTarget").GetDouble() > 0.5, first.GetRawText());

        // The theme raised by the reconstructions of both tenants, assigned to the mandated working group.
        var theme = await office.GetAsync($"/api/network/themes/{outcome.ThemeId}", CancellationToken.None);
        Assert.Equal(DemoScenario.ThemeTitle, theme.GetProperty("title").GetString());
        Assert.Equal(outcome.Reconstructions, theme.GetProperty("reconstructions").GetInt32());
        Assert.Equal(2, theme.GetProperty("tenants").GetInt32());
        Assert.Equal("Assigned", theme.GetProperty("status").GetString());
        Assert.Equal(outcome.WorkingGroupId, theme.GetProperty("workingGroupId").GetGuid());
        var group = await office.GetAsync($"/api/network/working-groups/{outcome.WorkingGroupId}", CancellationToken.None);
        Assert.Equal("Mandated", group.GetProperty("status").GetString());

        // Version 2 is adopted and supersedes version 1; the goal system is in force with measured values.
        var versions = (await office.GetAsync("/api/network/service-chains", CancellationToken.None)).EnumerateArray()
            .Where(c => c.GetProperty("chainId").GetGuid() == outcome.ChainId).ToDictionary(c => c.GetProperty("version").GetInt32(), c => c.GetProperty("status").GetString());
        Assert.Equal(new Dictionary<int, string?> { [1] = "Superseded", [2] = "Adopted" }, versions);
        var goals = await office.GetAsync($"/api/network/goal-systems/{outcome.GoalSystemId}", CancellationToken.None);
        Assert.Equal("Adopted", goals.GetProperty("status").GetString());
        var waiting = goals.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("unit").GetString() == "Tage");
        Assert.Equal(JsonValueKind.Number, waiting.GetProperty("latestValue").ValueKind);
        Assert.True(waiting.GetProperty("latestValue").GetDecimal() < 30m, waiting.GetRawText());

        // Before and after: the permit step is answered faster and far less often past its target under version 2.
        var comparison = await office.GetAsync($"/api/reports/referrals/comparison?chain={outcome.ChainId}&versionA=1&versionB=2", CancellationToken.None);
        var permit = comparison.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetInt32() == 2);
        var (before, after) = (permit.GetProperty("a"), permit.GetProperty("b"));
        Assert.True(after.GetProperty("referrals").GetInt32() > 0 && before.GetProperty("referrals").GetInt32() > 0, permit.GetRawText());
        Assert.True(after.GetProperty("sharePastTarget").GetDouble() < before.GetProperty("sharePastTarget").GetDouble() - 0.3, permit.GetRawText());
        Assert.True(before.GetProperty("medianDays").ValueKind != JsonValueKind.Number
            || after.GetProperty("medianDays").GetDouble() < before.GetProperty("medianDays").GetDouble(), permit.GetRawText());

        // The site's assessment of the year moves: the transfer from case to system scores higher, and so does the type.
        double Score(JsonElement assessment, string dimension) =>
            assessment.GetProperty("dimensions").EnumerateArray().Single(d => d.GetProperty("dimension").GetString() == dimension).GetProperty("score").GetDouble();
        Assert.True(Score(outcome.AssessmentAfter, "CaseToSystem") > Score(outcome.AssessmentBefore, "CaseToSystem"));
        Assert.True(outcome.AssessmentAfter.GetProperty("mean").GetDouble() > outcome.AssessmentBefore.GetProperty("mean").GetDouble());
        Assert.NotEqual(outcome.AssessmentBefore.GetProperty("type").GetString(), outcome.AssessmentAfter.GetProperty("type").GetString());

        TestFigures.Report(output, "figures.txt",
            $"KIM loop on imported history: {outcome.Cases} cases, {outcome.Referrals} referrals, {outcome.Reconstructions} reconstructions in {outcome.Took.TotalSeconds:0} s; " +
            $"permit step past target {before.GetProperty("sharePastTarget").GetDouble():0%} -> {after.GetProperty("sharePastTarget").GetDouble():0%}; " +
            $"type {outcome.AssessmentBefore.GetProperty("type").GetString()} -> {outcome.AssessmentAfter.GetProperty("type").GetString()}");
    }
}
