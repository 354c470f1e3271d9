using System.Net.Http.Json;
using System.Text.Json;
using Kim.Contracts;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

using static Kim.Testing.ApiSetup;

namespace Kim.WebApp.Tests;

/// <summary>
/// The coordinator's monitoring in a real browser: a service chain adopted by the steering group, a case whose referrals
/// run along it (the new provider rejects its referral, the jobcenter accepts at once), the bottleneck named by chain,
/// activity and provider, the charts with the same numbers in their tables, the chain drawn with the bottleneck, the
/// site's implementation type, and a CSV export streamed through the front end.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class MonitoringTests(WebFixture web, ITestOutputHelper output)
{
    [Fact]
    public async Task A_coordinator_sees_the_ranked_bottleneck_the_charts_with_their_numbers_and_the_implementation_type()
    {
        var checkedBefore = web.Checked.Count;
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var title = $"Sprachkurs bis Arbeit {suffix}";
        var chainId = await ReferralsAlongAdoptedChainAsync(title, $"Volkshochschule Kreis {suffix}");

        var page = await web.SignInWithSecondFactorAsync("coordinator@kommune");
        await page.GotoAsync("/monitoring");
        var main = page.Locator("main");

        // Ranked bottlenecks, named by chain, version, activity and provider (the API gives only ids).
        var bottlenecks = page.GetByRole(AriaRole.Table, new() { Name = "Engpässe, der größte zuerst" });
        var row = bottlenecks.Locator("tbody tr").Filter(new() { HasText = title });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        var cells = await row.Locator("td").AllInnerTextsAsync();
        Assert.Equal($"{title} (Version 1)", cells[1]);
        Assert.Equal("1: Beratung zum Sprachkurs", cells[2]);
        Assert.Equal($"Volkshochschule Kreis {suffix}", cells[3]);
        // One referral, answered at once (median 0,0 days, target 0), but rejected: no waiting, nothing overdue, rejection rate 100 %.
        Assert.Equal(["1", "0", "0,0", "0", "0", "0 %", "100 %", "1,00", "0"], cells.Skip(4));

        // The site's implementation type and what the next type needs.
        var type = await page.Locator("#typ").InnerTextAsync();
        Assert.Matches("^Umsetzungstyp: (rein institutionsorientiert|eher institutionsorientiert|eher prozessorientiert|prozessorientiert)$", type);
        Assert.Contains("Was für den nächsten Typ fehlt", await main.InnerTextAsync(), StringComparison.Ordinal);
        var dimensions = page.GetByRole(AriaRole.Table, new() { Name = "Die sechs Zieldimensionen (0 bis 1): Werte als Tabelle" });
        Assert.Equal(6, await dimensions.Locator("tbody tr").CountAsync());

        // The handover chart: one image named by its title, and a table with the same numbers.
        var chart = page.GetByRole(AriaRole.Img, new() { Name = "Übergabezeit je Kettenschritt (Median) gegen die Zielzeit" });
        await Assertions.Expect(chart).ToHaveCountAsync(1);
        var pictured = await chart.Locator("text").AllTextContentsAsync();
        var table = page.GetByRole(AriaRole.Table, new() { Name = "Übergabezeit je Kettenschritt (Median) gegen die Zielzeit: Werte als Tabelle" });
        var stalled = await table.Locator("tbody tr").Filter(new() { HasText = "Beratung zum Sprachkurs" }).Filter(new() { HasText = suffix }).Locator("td").AllInnerTextsAsync();
        var accepted = await table.Locator("tbody tr").Filter(new() { HasText = "Begleitung in Arbeit" }).Filter(new() { HasText = suffix }).Locator("td").AllInnerTextsAsync();
        Assert.Equal("0", stalled[1]);
        Assert.Equal("0", stalled[2]);
        Assert.Equal("Engpass", stalled[^1]);
        Assert.Equal("10", accepted[2]);
        Assert.Equal("0", accepted[1]);
        Assert.Contains("0 Tage (Ziel 0) – Engpass", pictured);
        Assert.Contains("0 Tage (Ziel 10)", pictured);
        Assert.Contains("Engpass:", await chart.Locator("desc").TextContentAsync() ?? "", StringComparison.Ordinal);

        // Time per phase: every bar of the picture is a row of the table.
        var phases = page.GetByRole(AriaRole.Img, new() { Name = "Verweildauer je Phase (Median abgeschlossener Aufenthalte)" });
        var phaseTable = page.GetByRole(AriaRole.Table, new() { Name = "Verweildauer je Phase (Median abgeschlossener Aufenthalte): Werte als Tabelle" });
        Assert.Equal(await phases.Locator("g.kim-chart__row").CountAsync(), await phaseTable.Locator("tbody tr").CountAsync());

        // The adopted chain drawn as swimlanes with the measured times and the bottleneck.
        var diagram = page.GetByRole(AriaRole.Img, new() { Name = title + " (Version 1, beschlossen)" });
        await Assertions.Expect(diagram).ToHaveCountAsync(1);
        Assert.Equal("1", await diagram.Locator(".kim-chain__step--bottleneck").GetAttributeAsync("data-order"));
        var violations = new List<string>(await web.CheckAsync(page, "Monitoring"));
        await web.ScreenshotAsync(page, "monitoring");

        // The export is streamed through the front end: the browser never holds the access token.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Engpässe als CSV herunterladen" }).ClickAsync());
        var bytes = await File.ReadAllBytesAsync(await download.PathAsync());
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var csv = System.Text.Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("Rang;Kette;Version;Schritt;Tätigkeit;Leistungserbringer;Vermittlungen", csv, StringComparison.Ordinal);
        Assert.Contains($";{title};1;1;Beratung zum Sprachkurs;Volkshochschule Kreis {suffix};1;1;0;0;0;0;0;0;0;1;1;0;{chainId}", csv, StringComparison.Ordinal);
        Assert.Equal("engpaesse.csv", download.SuggestedFilename);
        var caseWork = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Fallarbeit als CSV herunterladen" }).ClickAsync());
        Assert.Contains("Phase;abgeschlossene Aufenthalte", await File.ReadAllTextAsync(await caseWork.PathAsync()), StringComparison.Ordinal);

        web.ReportAccessibility(output, "monitoring", checkedBefore, 1, violations);
    }

    [Fact]
    public async Task A_coordinator_sees_the_progress_of_a_goal_system_in_force_against_its_targets()
    {
        var checkedBefore = web.Checked.Count;
        var suffix = Guid.NewGuid().ToString("N")[..6];
        using var coordinator = new HttpClient { BaseAddress = web.Platform.GatewayUrl }.WithToken(web.Platform.DevSigningKey, "kommune", KimRoles.Coordinator, "monitoring-goals");
        var tag = "kitaplatz " + suffix;
        for (var i = 0; i < 3; i++)
        {
            await PostAsync(coordinator, "/api/tenants/kommune/reconstructions", new
            {
                title = $"Rekonstruktion {i + 1} zu fehlenden Kitaplätzen",
                barriers = new[] { new { lifeDomain = "FamilyChildren", legalDomain = "SgbVIII", description = "Ohne Kitaplatz kein Sprachkurs.", themeTags = new[] { tag } } },
            });
        }

        var theme = await Eventually.ValueAsync(async () => (await coordinator.GetFromJsonAsync<JsonElement>("/api/network/themes")).EnumerateArray()
            .Where(t => t.GetProperty("tag").GetString() == tag && t.GetProperty("reconstructions").GetInt32() == 3).Select(t => (Guid?)t.GetProperty("id").GetGuid()).FirstOrDefault() is { } id ? id.ToString() : null,
            "the theme of three reconstructions");
        var groupName = $"PAG Kinderbetreuung {suffix}";
        var group = (await PostAsync(coordinator, "/api/network/working-groups", new
        {
            name = groupName,
            subject = "Kinderbetreuung während der Sprachkurse",
            objective = "Mehr Kursplätze mit Kinderbetreuung",
            composition = "Jugendamt, Volkshochschule, Träger",
            workingForm = "Monatliche Sitzungen",
            expectedResultFormat = "Zielsystem",
            themeId = Guid.Parse(theme),
        })).GetProperty("id").GetGuid();
        var steering = await web.SteeringGroupAsync();
        var mandate = await PostAsync(coordinator, "/api/network/steering/motions", new { title = "Auftrag " + groupName, kind = "MandateWorkingGroup", subjectId = group, isBinding = true });
        await steering.DecideAsync(mandate.GetProperty("id").GetGuid());
        var goals = await PostAsync(coordinator, $"/api/network/working-groups/{group}/goal-systems", new
        {
            principalGoal = "Eltern nehmen gleichberechtigt an Sprachkursen teil",
            indicators = new[] { new { name = "Kursplätze mit Kinderbetreuung", baseline = 20m, target = 60m, unit = "Plätze", source = "Kursstatistik" } },
            frameworkGoals = new[] { new { text = "Betreuung in jedem Sozialraum", indicators = Array.Empty<object>(), outcomeGoals = new[] { new { text = "Vier neue Kurse", indicators = Array.Empty<object>(), activities = new[] { "Räume gewinnen" } } } } },
            sourcesOfVerification = new[] { "Kursstatistik" },
            criticalAssumptions = Array.Empty<string>(),
        });
        var goalSystem = goals.GetProperty("id").GetGuid();
        var adopt = await PostAsync(coordinator, "/api/network/steering/motions", new { title = "Zielsystem " + groupName, kind = "AdoptGoalSystem", subjectId = goalSystem, isBinding = true });
        await steering.DecideAsync(adopt.GetProperty("id").GetGuid());
        await PostAsync(coordinator, $"/api/network/goal-systems/{goalSystem}/indicators/p-1/values", new { value = 40m, measuredOn = LocalDay.Of(DateTime.UtcNow).AddDays(-3), source = "Kursstatistik 3. Quartal" });

        var page = await web.SignInWithSecondFactorAsync("coordinator@kommune");
        await page.GotoAsync("/monitoring");
        var table = page.GetByRole(AriaRole.Table, new() { NameRegex = new System.Text.RegularExpressions.Regex($"^{groupName}: Zielsystem Fassung 1, beschlossen") });
        var cells = await table.Locator("tbody tr").First.Locator("td").AllInnerTextsAsync();
        Assert.Equal(["Kursplätze mit Kinderbetreuung (Plätze)", "Eltern nehmen gleichberechtigt an Sprachkursen teil", "20", "60", "40", LocalDay.Of(DateTime.UtcNow).AddDays(-3).ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture), "Kursstatistik 3. Quartal", "50 % des Wegs zum Zielwert"], cells);
        var violations = new List<string>(await web.CheckAsync(page, "Monitoring mit Zielsystem"));
        web.ReportAccessibility(output, "monitoring: goal systems", checkedBefore, 1, violations);
    }

    /// <summary>
    /// Through the APIs: a chain of two steps (a new provider with a target of 0 days, then the jobcenter with 10) adopted by
    /// the steering group, a case of kommune planned from it and both steps referred; the jobcenter's referral is accepted.
    /// Returns the chain's id once the ReportingService lists its first step as a bottleneck.
    /// </summary>
    private async Task<Guid> ReferralsAlongAdoptedChainAsync(string title, string provider)
    {
        using var coordinator = new HttpClient { BaseAddress = web.Platform.GatewayUrl }.WithToken(web.Platform.DevSigningKey, "kommune", KimRoles.Coordinator, "monitoring-test");
        var school = (await PostAsync(coordinator, "/api/network/organisations", new { name = provider, type = "Carrier", legalDomains = new[] { "SgbIII" } })).GetProperty("id").GetGuid();
        var chain = await PostAsync(coordinator, "/api/network/service-chains", new
        {
            title,
            lifeDomain = "TrainingWork",
            steps = new object[]
            {
                new { activity = "Beratung zum Sprachkurs", responsibleOrganisationId = school, legalDomain = "SgbIII", preconditions = "Anmeldung liegt vor", guarantees = "Platz im Kurs", targetDays = 0 },
                new { activity = "Begleitung in Arbeit", responsibleOrganisationId = web.Jobcenter, legalDomain = "SgbII", preconditions = "Sprachniveau B1", guarantees = "Vermittlungsvorschlag", targetDays = 10 },
            },
        });
        var chainId = chain.GetProperty("chainId").GetGuid();
        var motion = await PostAsync(coordinator, "/api/network/steering/motions", new { title = "Kette " + title, kind = "AdoptServiceChain", subjectId = chain.GetProperty("id").GetGuid(), isBinding = true });
        await (await web.SteeringGroupAsync()).DecideAsync(motion.GetProperty("id").GetGuid());

        using var caseManager = new HttpClient { BaseAddress = web.Platform.GatewayUrl }.WithToken(web.Platform.DevSigningKey, "kommune", KimRoles.CaseManager, "monitoring-test");
        var cases = "/api/tenants/kommune/cases";
        var id = await CaseInServicePlanningAsync(caseManager, "kommune", "Amal", "Haddad " + title[^6..]);

        // The CaseService learns of the adopted chain by its event.
        await Eventually.TrueAsync(async () => (await caseManager.PostAsJsonAsync($"{cases}/{id}/plan-items/from-chain", new { chainId })).IsSuccessStatusCode, "the adopted chain reaches the CaseService");
        var planned = await PostAsync(caseManager, $"{cases}/{id}/advance", new { to = "ServiceSteering" });
        var items = planned.GetProperty("planItems").EnumerateArray().Where(p => p.GetProperty("serviceChainId").ValueKind == JsonValueKind.String && p.GetProperty("serviceChainId").GetGuid() == chainId)
            .ToDictionary(p => p.GetProperty("chainStepOrder").GetInt32(), p => p.GetProperty("id").GetGuid());
        await Eventually.TrueAsync(async () =>
        {
            var response = await caseManager.PostAsJsonAsync($"{cases}/{id}/referrals", new { planItemId = items[1], providerOrganisationId = school, sharePersonalData = false });
            return response.IsSuccessStatusCode;
        }, "the new provider reaches the CaseService");
        var toSchool = (await caseManager.GetFromJsonAsync<JsonElement>($"{cases}/{id}")).GetProperty("referrals").EnumerateArray()
            .Single(r => r.GetProperty("planItemId").GetGuid() == items[1]).GetProperty("id").GetGuid();
        await PostAsync(caseManager, $"{cases}/{id}/referrals/{toSchool}/status", new { status = "Rejected", reason = "Kurs ausgebucht" });
        var issued = await PostAsync(caseManager, $"{cases}/{id}/referrals", new { planItemId = items[2], providerOrganisationId = web.Jobcenter, sharePersonalData = false });
        var toJobcenter = issued.GetProperty("referrals").EnumerateArray().Single(r => r.GetProperty("planItemId").GetGuid() == items[2]).GetProperty("id").GetGuid();
        await PostAsync(caseManager, $"{cases}/{id}/referrals/{toJobcenter}/status", new { status = "Accepted" });

        await Eventually.TrueAsync(async () =>
        {
            var referrals = await coordinator.GetFromJsonAsync<JsonElement>("/api/reports/referrals");
            var steps = referrals.GetProperty("steps").EnumerateArray().Where(s => s.GetProperty("chainId").GetGuid() == chainId).ToList();
            return steps.Count == 2 && steps.Any(s => s.GetProperty("medianDays").ValueKind == JsonValueKind.Number)
                && referrals.GetProperty("bottlenecks").EnumerateArray().Any(s => s.GetProperty("chainId").GetGuid() == chainId);
        }, "the referrals to reach the monitoring");
        return chainId;
    }
}
