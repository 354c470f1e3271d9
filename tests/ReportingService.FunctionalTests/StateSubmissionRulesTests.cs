using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kim.ReportingService.FunctionalTests;

/// <summary>
/// Who may import which submission: state reporters of the ministry only, a municipality's machine client its own
/// municipality only, configured municipalities and survey periods only; bad documents and races are 4xx and change nothing.
/// </summary>
public sealed class StateSubmissionRulesTests(StateReportingFixture state) : IClassFixture<StateReportingFixture>
{
    private HttpClient Ministry() => state.StateReporter();

    private HttpClient As(string token) => state.CreateClient().With(token);

    private async Task<List<JsonElement>> ListAsync(string period) =>
        [.. (await Ministry().GetFromJsonAsync<JsonElement>($"/api/state/submissions?period={period}")).EnumerateArray()];

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonSerializer.Deserialize<JsonElement>(body);
    }

    private static IEnumerable<string?> Pointers(JsonElement problem) =>
        problem.GetProperty("violations").EnumerateArray().Select(v => v.GetProperty("pointer").GetString());

    [Fact]
    public async Task State_reporters_of_any_tenant_but_the_ministry_are_refused_on_every_route_and_change_nothing()
    {
        var original = Submissions.Valid("05158", "District", "2020");
        Assert.Equal(HttpStatusCode.Created, (await Ministry().PostAsJsonAsync("/api/state/submissions", original)).StatusCode);

        var key = state.SigningKey;
        var intruders = new[]
        {
            StateTokens.Create(key, (KimClaims.Subject, "k"), (KimClaims.Tenant, "kommune"), (KimClaims.Role, KimRoles.StateReporter)),
            StateTokens.Create(key, (KimClaims.Subject, "c"), (KimClaims.Tenant, "caritas"), (KimClaims.Role, KimRoles.StateReporter)),
            StateTokens.Create(key, (KimClaims.Subject, "c"), (KimClaims.Tenant, "caritas"), (KimClaims.Role, KimRoles.StateReporter), ("municipality", "05158")),
            StateTokens.Create(key, (KimClaims.Subject, "l"), (KimClaims.Tenant, "Land"), (KimClaims.Role, KimRoles.StateReporter)),
            StateTokens.Create(key, (KimClaims.Subject, "l"), (KimClaims.Tenant, "land "), (KimClaims.Role, KimRoles.StateReporter)),
            StateTokens.Create(key, (KimClaims.Subject, "l"), (KimClaims.Role, KimRoles.StateReporter)),
            StateTokens.Create(key, (KimClaims.Subject, "l"), (KimClaims.Tenant, "kommune"), (KimClaims.Tenant, "land"), (KimClaims.Role, KimRoles.StateReporter)),
            StateTokens.Create(key, (KimClaims.Subject, "l"), (KimClaims.Tenant, "land"), (KimClaims.Role, KimRoles.StateReporter), ("municipality", "05158"), ("municipality", "05162")),
            StateTokens.Create(key, (KimClaims.Subject, "l"), (KimClaims.Tenant, "land"), (KimClaims.Role, "State-Reporter")),
        };
        var replacement = Submissions.Valid("05158", "District", "2020");
        replacement["municipality"]!["name"] = "Übernommen";
        foreach (var (token, index) in intruders.Select((t, i) => (t, i)))
        {
            // A well-formed token of another tenant is forbidden; one without a tenant or with a claim twice may already fail sign-in.
            bool Refused(HttpStatusCode status) => status == HttpStatusCode.Forbidden || (index >= 5 && index <= 7 && status == HttpStatusCode.Unauthorized);
            foreach (var created in new[] { replacement, Submissions.Valid("05162", "District", "2020"), Submissions.Valid("00000", "District", "2020") })
            {
                var response = await As(token).PostAsJsonAsync("/api/state/submissions", created);
                Assert.True(Refused(response.StatusCode), $"token {index}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            foreach (var read in new[] { "/api/state/submissions?period=2020", "/api/state/typology.csv?period=2020", "/api/state/crosstab?period=2020&row=municipality.name" })
            {
                var status = (await As(token).GetAsync(read)).StatusCode;
                Assert.True(Refused(status), $"token {index} on {read}: {(int)status}");
            }
        }

        var stored = Assert.Single(await ListAsync("2020"));
        Assert.Equal("05158", stored.GetProperty("municipalityId").GetString());
        Assert.Equal("Kommune 05158", stored.GetProperty("name").GetString());
        Assert.Equal("mkjfgfi", stored.GetProperty("importedBy").GetString());
    }

    [Fact]
    public async Task A_municipalitys_machine_client_submits_its_own_municipality_only_and_reads_nothing()
    {
        var mettmann = As(StateTokens.MachineClient(state.SigningKey, "05158"));

        var foreign = await ProblemAsync(await mettmann.PostAsJsonAsync("/api/state/submissions", Submissions.Valid("05162", "District", "2021")), HttpStatusCode.Forbidden);
        Assert.Equal(ProblemTypes.Forbidden, foreign.GetProperty("type").GetString());
        Assert.Equal("Meldung einer anderen Kommune", foreign.GetProperty("title").GetString());
        Assert.Empty(await ListAsync("2021"));

        Assert.Equal(HttpStatusCode.Created, (await mettmann.PostAsJsonAsync("/api/state/submissions", Submissions.Valid("05158", "District", "2021"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await mettmann.PostAsJsonAsync("/api/state/submissions", Submissions.Valid("05158", "District", "2021"))).StatusCode);
        var stored = Assert.Single(await ListAsync("2021"));
        Assert.Equal("reportingservice", stored.GetProperty("importedBy").GetString());

        // A machine client submits; the ministry's data are for the ministry's people.
        Assert.Equal(HttpStatusCode.OK, (await mettmann.GetAsync("/api/state/schema")).StatusCode);
        foreach (var read in new[] { "/api/state/submissions?period=2021", "/api/state/crosstab?period=2021&row=municipality.name", "/api/state/report?period=2021", "/api/state/staffing.csv?period=2021" })
        {
            Assert.True((await mettmann.GetAsync(read)).StatusCode == HttpStatusCode.Forbidden, read);
        }

        // A ministry person (no municipality in the token) imports a file for any municipality of the survey.
        Assert.Equal(HttpStatusCode.Created, (await Ministry().PostAsJsonAsync("/api/state/submissions", Submissions.Valid("05162", "District", "2021"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Ministry().PostAsJsonAsync("/api/state/submissions", Submissions.Valid("05315", "IndependentCity", "2021"))).StatusCode);
        Assert.Equal(["05158", "05162", "05315"], (await ListAsync("2021")).Select(s => s.GetProperty("municipalityId").GetString()));
    }

    [Theory]
    [InlineData("00000", "2022", "/municipality/id")]
    [InlineData("99999", "2022", "/municipality/id")]
    [InlineData("09162", "2022", "/municipality/id")]
    [InlineData("05158", "1999", "/period")]
    [InlineData("05158", "1999-H1", "/period")]
    [InlineData("05158", "2099", "/period")]
    public async Task Unknown_municipalities_and_periods_outside_the_survey_are_400_and_change_nothing(string id, string period, string pointer)
    {
        foreach (var client in new[] { Ministry(), As(StateTokens.MachineClient(state.SigningKey, id)) })
        {
            var problem = await ProblemAsync(await client.PostAsJsonAsync("/api/state/submissions", Submissions.Valid(id, "District", period)), HttpStatusCode.BadRequest);
            Assert.Equal(ProblemTypes.Validation, problem.GetProperty("type").GetString());
            Assert.Equal(pointer, Assert.Single(Pointers(problem)));
        }

        Assert.DoesNotContain(await ListAsync(period), s => s.GetProperty("municipalityId").GetString() == id);
    }

    [Fact]
    public async Task The_municipalities_and_periods_are_configured()
    {
        using var configured = state.WithWebHostBuilder(builder => builder
            .UseSetting("Reporting:State:Municipalities:0", "09162")
            .UseSetting("Reporting:State:FirstYear", "2015")
            .UseSetting("Reporting:State:LastYear", "2016"));
        HttpClient Client() => configured.CreateClient().With(state.StateReporter().DefaultRequestHeaders.Authorization!.Parameter!);

        Assert.Equal(HttpStatusCode.Created, (await Client().PostAsJsonAsync("/api/state/submissions", Submissions.Valid("09162", "IndependentCity", "2015"))).StatusCode);
        var other = await ProblemAsync(await Client().PostAsJsonAsync("/api/state/submissions", Submissions.Valid("05158", "District", "2017")), HttpStatusCode.BadRequest);
        Assert.Equal(["/period", "/municipality/id"], Pointers(other));
    }

    [Fact]
    public async Task A_machine_client_without_a_municipality_is_no_ministry_person_and_is_refused_on_every_route()
    {
        Assert.Equal(HttpStatusCode.Created, (await Ministry().PostAsJsonAsync("/api/state/submissions", Submissions.Valid("05158", "District", "2023"))).StatusCode);
        var key = state.SigningKey;
        var robots = new[]
        {
            StateTokens.Client(key, "ministry-robot", municipality: null),
            StateTokens.Client(key, "reportingservice", municipality: null),
        };
        var replacement = Submissions.Valid("05158", "District", "2023");
        replacement["municipality"]!["name"] = "Übernommen";
        foreach (var robot in robots)
        {
            foreach (var created in new[] { replacement, Submissions.Valid("05162", "District", "2023") })
            {
                var response = await As(robot).PostAsJsonAsync("/api/state/submissions", created);
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            foreach (var read in new[] { "/api/state/schema", "/api/state/submissions?period=2023", "/api/state/typology.csv?period=2023", "/api/state/crosstab?period=2023&row=municipality.name", "/api/state/report?period=2023" })
            {
                var status = (await As(robot).GetAsync(read)).StatusCode;
                Assert.True(status == HttpStatusCode.Forbidden, $"{read}: {(int)status}");
            }
        }

        // A person of the ministry signed in through the front end: the token names the front end as its client, not the person.
        var person = As(StateTokens.Create(key, (KimClaims.Subject, "0b7c3e52-person"), ("client_id", "webapp"), (KimClaims.Tenant, "land"), (KimClaims.Role, KimRoles.StateReporter)));
        var listed = await person.GetFromJsonAsync<JsonElement>("/api/state/submissions?period=2023");
        var stored = Assert.Single(listed.EnumerateArray());
        Assert.Equal("Kommune 05158", stored.GetProperty("name").GetString());
        Assert.Equal("mkjfgfi", stored.GetProperty("importedBy").GetString());
    }

    [Theory]
    [InlineData("2024\n")]
    [InlineData("2024-H1\n")]
    [InlineData(" 2024")]
    [InlineData("2024 ")]
    [InlineData("2024-H3")]
    [InlineData("２０２４")]
    [InlineData("2024x")]
    public async Task A_period_is_a_whole_year_or_half_year_of_ascii_digits_or_400_and_nothing_changes(string period)
    {
        foreach (var client in new[] { Ministry(), As(StateTokens.MachineClient(state.SigningKey, "05158")) })
        {
            var problem = await ProblemAsync(await client.PostAsJsonAsync("/api/state/submissions", Submissions.Valid("05158", "District", period)), HttpStatusCode.BadRequest);
            Assert.Equal("/period", Assert.Single(Pointers(problem)));
        }

        var read = await Ministry().GetAsync($"/api/state/submissions?period={Uri.EscapeDataString(period)}");
        Assert.Equal(ProblemTypes.Validation, (await ProblemAsync(read, HttpStatusCode.BadRequest)).GetProperty("type").GetString());
        using var scope = state.Services.CreateScope();
        var stored = await scope.ServiceProvider.GetRequiredService<Infrastructure.ReportingDbContext>().StateSubmissions.Select(s => s.Period).ToListAsync();
        Assert.DoesNotContain(period, stored);
    }

    [Fact]
    public async Task A_property_given_twice_is_400_not_the_last_one()
    {
        var valid = Submissions.Valid("05162", "District", "2023").ToJsonString();
        var twice = new[]
        {
            valid.Replace("\"id\":\"05162\"", "\"id\":\"05162\",\"id\":\"05158\"", StringComparison.Ordinal),
            valid.Replace("\"period\":\"2023\"", "\"period\":\"2023\",\"period\":\"2022\"", StringComparison.Ordinal),
            valid.Replace("\"casesTaken\":30", "\"casesTaken\":30,\"casesTaken\":31", StringComparison.Ordinal),
        };
        foreach (var json in twice)
        {
            Assert.NotEqual(valid, json);
            var problem = await ProblemAsync(await Ministry().PostAsync("/api/state/submissions", new StringContent(json, Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
            Assert.Equal(ProblemTypes.Validation, problem.GetProperty("type").GetString());
        }

        Assert.Empty(await ListAsync("2023"));
        Assert.Empty(await ListAsync("2022"));
    }

    [Theory]
    [InlineData("/staffing/0/allocatedFte", "9223372036854775808")]
    [InlineData("/staffing/0/buildingBlock", "9223372036854775808")]
    [InlineData("/staffing/1/filledFte", "-9223372036854775809")]
    [InlineData("/caseManagement/casesTaken", "9223372036854775808")]
    [InlineData("/selfAssessment/municipal", "1e400")]
    public async Task A_number_beyond_any_answer_is_400(string pointer, string number)
    {
        var submission = Submissions.Valid("05166", "District", "2023");
        var parts = pointer.Trim('/').Split('/');
        var parent = parts[..^1].Aggregate((JsonNode)submission, (node, part) => int.TryParse(part, out var i) ? node[i]! : node[part]!);
        parent[parts[^1]] = JsonNode.Parse(number);

        var problem = await ProblemAsync(await Ministry().PostAsync("/api/state/submissions", new StringContent(submission.ToJsonString(), Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);

        Assert.Contains(pointer, Pointers(problem));
        Assert.DoesNotContain(await ListAsync("2023"), s => s.GetProperty("municipalityId").GetString() == "05166");
    }

    [Fact]
    public async Task Eight_identical_imports_at_the_same_moment_store_one_and_none_fails()
    {
        foreach (var id in new[] { "05170", "05334", "05358", "05362", "05366" })
        {
            var json = Submissions.Valid(id, "District", "2024").ToJsonString();
            var responses = await Kim.Testing.AtOnce.SendAsync(Enumerable.Range(0, 8).Select(_ => Ministry()).ToList(),
                client => client.PostAsync("/api/state/submissions", new StringContent(json, Encoding.UTF8, "application/json")));
            foreach (var response in responses)
            {
                Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.Conflict, $"{id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                if (response.StatusCode == HttpStatusCode.Conflict)
                {
                    Assert.Equal(ProblemTypes.ConcurrentChange, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
                }
            }

            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        }

        Assert.Equal(5, (await ListAsync("2024")).Count);
    }
}
