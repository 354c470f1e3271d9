using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kim.ServiceDefaults;
using Microsoft.AspNetCore.Hosting;

namespace Kim.ReportingService.FunctionalTests;

public sealed class StateModeTests(StateReportingFixture state) : IClassFixture<StateReportingFixture>
{
    private static readonly SemaphoreSlim Imported = new(1, 1);
    private static bool evaluationImported;

    private async Task ImportEvaluationAsync()
    {
        await Imported.WaitAsync();
        try
        {
            if (!evaluationImported)
            {
                foreach (var submission in Submissions.Evaluation2022())
                {
                    var response = await state.StateReporter().PostAsJsonAsync("/api/state/submissions", submission);
                    Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
                }

                evaluationImported = true;
            }
        }
        finally
        {
            Imported.Release();
        }
    }

    private async Task<JsonElement> CrosstabAsync(string query) =>
        await state.StateReporter().GetFromJsonAsync<JsonElement>($"/api/state/crosstab?period=2022&{query}");

    private static int Percent(JsonElement table, string value, string column = "total") =>
        table.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("value").GetString() == value).GetProperty("cells").GetProperty(column).GetProperty("percent").GetInt32();

    private static int Count(JsonElement table, string value, string column = "total") =>
        table.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("value").GetString() == value).GetProperty("cells").GetProperty(column).GetProperty("count").GetInt32();

    [Fact]
    public async Task Tab_3_cm_cases_per_site_is_reproduced()
    {
        await ImportEvaluationAsync();
        var table = await CrosstabAsync("row=caseManagement.casesTaken");

        Assert.Equal(43, table.GetProperty("n").GetProperty("total").GetInt32());
        Assert.Equal(9, Count(table, "noAnswer"));
        // Counts of 43 answers, percent rounded half away from zero; the report printed 18 for 250+ (8 of 43 = 18.6).
        var expected = new (string Bin, int Count, int Percent)[] { ("0", 6, 14), ("1-19", 4, 9), ("20-49", 7, 16), ("50-99", 8, 19), ("100-249", 10, 23), ("250+", 8, 19) };
        foreach (var (bin, count, percent) in expected)
        {
            Assert.Equal((bin, count, percent), (bin, Count(table, bin), Percent(table, bin)));
        }
    }

    [Fact]
    public async Task Tab_4_forwarding_to_free_welfare_by_kind_is_reproduced()
    {
        await ImportEvaluationAsync();
        var table = await CrosstabAsync("row=caseManagement.forwardedToCarriers&column=kind");

        Assert.Equal(30, table.GetProperty("n").GetProperty("District").GetInt32());
        Assert.Equal(22, table.GetProperty("n").GetProperty("IndependentCity").GetInt32());
        Assert.Equal([16, 13, 1], new[] { "Yes", "No", "Planned" }.Select(v => Count(table, v, "District")));
        Assert.Equal([15, 2, 5], new[] { "Yes", "No", "Planned" }.Select(v => Count(table, v, "IndependentCity")));
        // Of 30, 22 and 52; the report printed 3.3 for 1 of 30 and 11 for 6 of 52 (11.5).
        var expected = new (string Value, string Column, int Percent)[]
        {
            ("Yes", "District", 53), ("No", "District", 43), ("Planned", "District", 3),
            ("Yes", "IndependentCity", 68), ("No", "IndependentCity", 9), ("Planned", "IndependentCity", 23),
            ("Yes", "total", 60), ("No", "total", 29), ("Planned", "total", 12),
        };
        foreach (var (value, column, percent) in expected)
        {
            Assert.Equal((value, column, percent), (value, column, Percent(table, value, column)));
        }
    }

    [Fact]
    public async Task Tab_11_case_review_frequency_is_reproduced()
    {
        await ImportEvaluationAsync();
        var table = await CrosstabAsync("row=caseManagement.caseReviewFrequency");

        Assert.Equal(52, table.GetProperty("n").GetProperty("total").GetInt32());
        // Of 52; the report printed 1 for the single "No" (1.9).
        var expected = new (string Value, int Count, int Percent)[]
        {
            ("WeeklyOrMore", 11, 21), ("SeveralPerMonth", 15, 29), ("Monthly", 12, 23), ("LessThanMonthly", 1, 2), ("Planned", 12, 23), ("No", 1, 2),
        };
        foreach (var (value, count, percent) in expected)
        {
            Assert.Equal((value, count, percent), (value, Count(table, value), Percent(table, value)));
        }
    }

    [Fact]
    public async Task Subgroups_ratings_csv_and_the_html_report()
    {
        await ImportEvaluationAsync();
        var forwarding = await CrosstabAsync("row=caseManagement.forwardedToCarriers&column=kind&where=caseManagement.forwardedToCarriers:Yes");
        Assert.Equal(31, forwarding.GetProperty("n").GetProperty("total").GetInt32());
        Assert.Equal(100, Percent(forwarding, "Yes"));

        var rating = await CrosstabAsync("row=selfAssessment.municipal&column=kind");
        Assert.Equal(3.0, rating.GetProperty("mean").GetProperty("total").GetDouble());

        var csv = await state.StateReporter().GetStringAsync("/api/state/crosstab.csv?period=2022&row=caseManagement.forwardedToCarriers&column=kind");
        Assert.Contains("ja;16;53;15;68;31;60", csv, StringComparison.Ordinal);

        var response = await state.StateReporter().GetAsync("/api/state/report?period=2022");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        foreach (var expected in new[] { "Tab. 3", "Tab. 4", "Tab. 11", "Landkreis (n = 30)", "kreisfreie Stadt (n = 22)", "ja, mind. wöchentlich", "<svg", "Abb. 6", "eher institutionsorientiert", "Stellen nach Baustein" })
        {
            Assert.Contains(expected, html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_invalid_submission_is_refused_with_every_violation_and_the_earlier_one_stays()
    {
        var valid = Submissions.Valid("05154", "District", "2021");
        Assert.Equal(HttpStatusCode.Created, (await state.StateReporter().PostAsJsonAsync("/api/state/submissions", valid)).StatusCode);

        var invalid = Submissions.Valid("05154", "District", "2021");
        invalid["municipality"]!["kind"] = "Village";
        invalid["caseManagement"]!["casesTaken"] = -4;
        invalid["selfAssessment"]!["municipal"] = 7;
        invalid["network"]!.AsObject().Remove("networkFunction");
        invalid["reflection"]!["surprise"] = true;
        var response = await state.StateReporter().PostAsJsonAsync("/api/state/submissions", invalid);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ProblemTypes.Validation, problem.GetProperty("type").GetString());
        var pointers = problem.GetProperty("violations").EnumerateArray().Select(v => v.GetProperty("pointer").GetString()).ToHashSet();
        foreach (var expected in new[] { "/municipality/kind", "/caseManagement/casesTaken", "/selfAssessment/municipal", "/network/networkFunction", "/reflection/surprise" })
        {
            Assert.Contains(expected, pointers);
        }

        var stored = await state.StateReporter().GetFromJsonAsync<JsonElement>("/api/state/crosstab?period=2021&row=caseManagement.casesTaken");
        Assert.Equal(1, Count(stored, "20-49"));

        // A consistent but contradictory submission is refused as well.
        var contradictory = Submissions.Valid("05154", "IndependentCity", "2021");
        contradictory["caseManagement"]!["forwardedToMemberTowns"] = "Yes";
        contradictory["caseBasis"]!["workingGroupsWithWrittenMandate"] = 5;
        var refused = await (await state.StateReporter().PostAsJsonAsync("/api/state/submissions", contradictory)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, refused.GetProperty("violations").GetArrayLength());

        // Re-importing the same municipality and period replaces it.
        valid["caseManagement"]!["casesTaken"] = 500;
        Assert.Equal(HttpStatusCode.OK, (await state.StateReporter().PostAsJsonAsync("/api/state/submissions", valid)).StatusCode);
        var replaced = await state.StateReporter().GetFromJsonAsync<JsonElement>("/api/state/crosstab?period=2021&row=caseManagement.casesTaken");
        Assert.Equal(1, Count(replaced, "250+"));
        Assert.Equal(1, replaced.GetProperty("n").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Small_cells_are_suppressed_and_marked_when_the_threshold_is_set()
    {
        await ImportEvaluationAsync();
        using var suppressing = state.WithWebHostBuilder(builder => builder.UseSetting("Reporting:SmallCellThreshold", "5"));
        var client = suppressing.CreateClient();
        client.DefaultRequestHeaders.Authorization = state.StateReporter().DefaultRequestHeaders.Authorization;
        var table = await client.GetFromJsonAsync<JsonElement>("/api/state/crosstab?period=2022&row=caseManagement.forwardedToCarriers&column=kind");

        var planned = table.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("value").GetString() == "Planned").GetProperty("cells");
        Assert.True(planned.GetProperty("District").GetProperty("suppressed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, planned.GetProperty("District").GetProperty("count").ValueKind);
        // The districts' 1 would be the total 6 minus the cities' 5: the 5 is suppressed as its complement, the total stays.
        Assert.True(planned.GetProperty("IndependentCity").GetProperty("suppressed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, planned.GetProperty("IndependentCity").GetProperty("percent").ValueKind);
        Assert.Equal(6, planned.GetProperty("total").GetProperty("count").GetInt32());
        var no = table.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("value").GetString() == "No").GetProperty("cells");
        Assert.True(no.GetProperty("IndependentCity").GetProperty("suppressed").GetBoolean());
        Assert.True(no.GetProperty("District").GetProperty("suppressed").GetBoolean());
        Assert.Equal(30, table.GetProperty("n").GetProperty("District").GetInt32());
        var csv = await client.GetStringAsync("/api/state/crosstab.csv?period=2022&row=caseManagement.forwardedToCarriers&column=kind");
        Assert.Contains("in Planung;unterdrückt;;unterdrückt;;6;12", csv, StringComparison.Ordinal);
        var html = await client.GetStringAsync("/api/state/report?period=2022");
        Assert.DoesNotContain("&lt;5", html, StringComparison.Ordinal);
        Assert.Contains("<td>unterdrückt</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_report_data_gives_every_table_with_labels_and_suppressed_cells_marked()
    {
        await ImportEvaluationAsync();
        using var suppressing = state.WithWebHostBuilder(builder => builder.UseSetting("Reporting:SmallCellThreshold", "5"));
        var client = suppressing.CreateClient();
        client.DefaultRequestHeaders.Authorization = state.StateReporter().DefaultRequestHeaders.Authorization;
        var report = await client.GetFromJsonAsync<JsonElement>("/api/state/report/data?period=2022");

        Assert.Equal(5, report.GetProperty("smallCellThreshold").GetInt32());
        var tables = report.GetProperty("tables").EnumerateArray().ToList();
        Assert.Equal(
            ["Tab. 2", "Tab. 3", "Tab. 4", "Tab. 5", "Tab. 10", "Tab. 11", "Tab. 12", "Tab. 13"],
            tables.Select(t => t.GetProperty("number").GetString()).Where(n => n!.StartsWith("Tab.", StringComparison.Ordinal)));
        var tab4 = tables.Single(t => t.GetProperty("number").GetString() == "Tab. 4");
        Assert.Equal(["Landkreis", "kreisfreie Stadt", "Gesamt"], tab4.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("label").GetString()));
        Assert.Equal([30, 22, 52], tab4.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("n").GetInt32()));
        var planned = tab4.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("value").GetString() == "Planned");
        Assert.Equal("in Planung", planned.GetProperty("label").GetString());
        var cells = planned.GetProperty("cells").EnumerateArray().ToList();
        Assert.True(cells[0].GetProperty("suppressed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, cells[0].GetProperty("count").ValueKind);
        Assert.True(cells[1].GetProperty("suppressed").GetBoolean());
        Assert.Equal(6, cells[2].GetProperty("count").GetInt32());
        var tab10 = tables.Single(t => t.GetProperty("number").GetString() == "Tab. 10");
        Assert.Equal("caseManagement.forwardedToCarriers:Yes", tab10.GetProperty("where").GetString());
        Assert.StartsWith("Nur Kommunen", tab10.GetProperty("whereLabel").GetString(), StringComparison.Ordinal);
        var tab13 = tables.Single(t => t.GetProperty("number").GetString() == "Tab. 13");
        Assert.Equal(3.0, tab13.GetProperty("columns").EnumerateArray().Last().GetProperty("mean").GetDouble());
        Assert.Equal(52, report.GetProperty("types").EnumerateArray().Sum(t => t.GetProperty("total").GetInt32()));

        var labelled = await client.GetFromJsonAsync<JsonElement>("/api/state/crosstab/labelled?period=2022&row=caseManagement.forwardedToCarriers&column=kind");
        Assert.Null(labelled.GetProperty("number").GetString());
        // The one cross table names its small-cell threshold itself, so a front end needs no whole report to say "< 5".
        Assert.Equal(5, labelled.GetProperty("smallCellThreshold").GetInt32());
        Assert.Equal(5, tab4.GetProperty("smallCellThreshold").GetInt32());
        Assert.Equal(tab4.GetProperty("rows").ToString(), labelled.GetProperty("rows").ToString());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/state/crosstab/labelled?period=2022&row=no.such.path")).StatusCode);
    }

    [Fact]
    public async Task Typology_assigns_the_four_types_and_counts_them_by_kind()
    {
        var profiles = new (string Id, string Kind, Action<JsonObject> Shape, string Expected)[]
        {
            ("05162", "District", Initial, "PurelyInstitutionOriented"),
            ("05166", "District", _ => { }, "RatherInstitutionOriented"),
            ("05113", "IndependentCity", RatherProcess, "RatherProcessOriented"),
            ("05114", "IndependentCity", s => { RatherProcess(s); Structured(s); }, "ProcessOriented"),
        };
        foreach (var (id, kind, shape, _) in profiles)
        {
            var submission = Submissions.Valid(id, kind, "2023");
            shape(submission);
            var response = await state.StateReporter().PostAsJsonAsync("/api/state/submissions", submission);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        var typology = await state.StateReporter().GetFromJsonAsync<JsonElement>("/api/state/typology?period=2023");
        foreach (var (id, _, _, expected) in profiles)
        {
            var municipality = typology.GetProperty("municipalities").EnumerateArray().Single(m => m.GetProperty("municipalityId").GetString() == id);
            Assert.Equal(expected, municipality.GetProperty("type").GetString());
        }

        var distribution = typology.GetProperty("distribution");
        Assert.Equal(1, distribution.GetProperty("PurelyInstitutionOriented").GetProperty("District").GetInt32());
        Assert.Equal(1, distribution.GetProperty("ProcessOriented").GetProperty("IndependentCity").GetInt32());
        Assert.Equal(0, distribution.GetProperty("ProcessOriented").GetProperty("District").GetInt32());
        Assert.Equal(4, distribution.EnumerateObject().Sum(t => t.Value.GetProperty("total").GetInt32()));
    }

    [Fact]
    public async Task Staffing_totals_per_building_block_and_kind()
    {
        await ImportEvaluationAsync();
        var staffing = await state.StateReporter().GetFromJsonAsync<JsonElement>("/api/state/staffing?period=2022");
        var caseManagers = staffing.EnumerateArray().Single(r => r.GetProperty("buildingBlock").GetInt32() == 2 && r.GetProperty("kind").GetString() == "total");
        Assert.Equal(520.0, caseManagers.GetProperty("allocated").GetDouble());
        Assert.Equal(468.0, caseManagers.GetProperty("requested").GetDouble());
        Assert.Equal(442.0, caseManagers.GetProperty("filled").GetDouble());
        var districts = staffing.EnumerateArray().Single(r => r.GetProperty("buildingBlock").GetInt32() == 1 && r.GetProperty("kind").GetString() == "District");
        Assert.Equal(120.0, districts.GetProperty("allocated").GetDouble());

        var csv = await state.StateReporter().GetStringAsync("/api/state/staffing.csv?period=2022");
        Assert.Contains("2;Gesamt;520;468;442", csv, StringComparison.Ordinal);
        var types = await state.StateReporter().GetStringAsync("/api/state/typology.csv?period=2022");
        Assert.Equal(53, types.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.StartsWith("Kommune;Name;Art;Typ;Mittelwert;Eigenständige Projektorganisation", types.TrimStart('\uFEFF'), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_that_would_start_a_formula_is_written_as_text_in_the_csv()
    {
        var submission = Submissions.Valid("05158", "District", period: "2024");
        submission["municipality"]!["name"] = "=HYPERLINK(\"http://boese.example\")";
        var response = await state.StateReporter().PostAsJsonAsync("/api/state/submissions", submission);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await response.Content.ReadAsStringAsync());

        var types = await state.StateReporter().GetStringAsync("/api/state/typology.csv?period=2024");

        Assert.Contains(";\"'=HYPERLINK(\"\"http://boese.example\"\")\";", types, StringComparison.Ordinal);
        Assert.DoesNotContain(";=HYPERLINK", types, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_state_reporters_reach_the_state_api_and_bad_queries_are_400()
    {
        var coordinator = state.CreateClient();
        coordinator.DefaultRequestHeaders.Authorization = new("Bearer", Kim.ServiceDefaults.Security.DevTokens.Create(state.SigningKey, "kommune", "coordinator", "k", DateTime.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.Equal(HttpStatusCode.Forbidden, (await coordinator.GetAsync("/api/state/crosstab?period=2022&row=caseManagement.casesTaken")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await state.StateReporter().GetAsync("/api/state/crosstab?period=2022&row=caseManagement.nothing")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await state.StateReporter().GetAsync("/api/state/crosstab?period=2022&row=caseManagement.casesTaken&column=color")).StatusCode);
        var malformed = await state.StateReporter().PostAsync("/api/state/submissions", new StringContent("{\"schemaVersion\":", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await state.StateReporter().GetAsync("/api/reports/overview")).StatusCode);
    }

    private static void Initial(JsonObject s)
    {
        foreach (var section in new[] { "projectOrganisation", "network", "caseBasis", "systemLevel", "reflection" })
        {
            foreach (var key in s[section]!.AsObject().Select(p => p.Key).ToList())
            {
                s[section]![key] = null;
            }
        }

        s["caseManagement"] = new JsonObject
        {
            ["casesTaken"] = 0,
            ["forwardedToCarriers"] = "No",
            ["forwardedToMemberTowns"] = "No",
            ["superordinateCoordination"] = false,
            ["cmConcept"] = "No",
            ["crossDomainConcept"] = "No",
            ["commonInstruments"] = new JsonObject { ["assessment"] = false, ["goalPlanning"] = false, ["servicePlanning"] = false, ["serviceSteering"] = false },
            ["caseReviewFrequency"] = "No",
            ["caseReconstructionFrequency"] = "No",
        };
    }

    private static void RatherProcess(JsonObject s)
    {
        s["network"] = new JsonObject { ["migrantOrganisationsInSteeringGroup"] = "Yes", ["networkFunction"] = "JointPlanning", ["jointTeamSessionsWithCarriers"] = true };
        s["projectOrganisation"]!["steeringGroupComposition"] = "Parity";
        var cm = s["caseManagement"]!;
        cm["cmConcept"] = "Yes";
        cm["crossDomainConcept"] = "Yes";
        cm["commonInstruments"] = new JsonObject { ["assessment"] = true, ["goalPlanning"] = true, ["servicePlanning"] = true, ["serviceSteering"] = true };
        cm["caseReviewFrequency"] = "WeeklyOrMore";
        cm["caseReconstructionFrequency"] = "SeveralPerMonth";
        s["caseBasis"]!["workingGroupsCaseBased"] = true;
    }

    private static void Structured(JsonObject s)
    {
        s["projectOrganisation"] = new JsonObject
        {
            ["teamStructure"] = "Developed",
            ["coordinatingOfficeDecidesStrategically"] = true,
            ["steeringGroup"] = "Established",
            ["steeringGroupMeetings"] = 4,
            ["rulesOfProcedure"] = "Yes",
            ["resolutionsBinding"] = true,
            ["steeringGroupComposition"] = "Parity",
            ["strategicSteeringIsTask"] = true,
        };
        s["caseBasis"] = new JsonObject { ["workingGroups"] = 3, ["workingGroupsWithWrittenMandate"] = 2, ["workingGroupsCaseBased"] = true, ["transferCaseToSystem"] = "Implemented" };
        s["systemLevel"] = new JsonObject { ["goalSystem"] = "Yes", ["serviceChains"] = "Yes" };
        s["reflection"] = new JsonObject { ["systematicReflection"] = true, ["publicDiscussion"] = true, ["reportsToCouncil"] = true };
    }
}
