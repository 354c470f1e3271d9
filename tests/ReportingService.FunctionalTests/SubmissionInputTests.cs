using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kim.Contracts.Cases;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.EntityFrameworkCore;

namespace Kim.ReportingService.FunctionalTests;

/// <summary>The municipal ReportingService's writes: input and races that once gave 500 are a 4xx and change nothing.</summary>
public sealed class SubmissionInputTests(ReportingServiceFixture service) : IClassFixture<ReportingServiceFixture>
{
    private HttpClient Coordinator(string user = "anna") => service.CreateClient().WithToken(service.SigningKey, "kommune", KimRoles.Coordinator, user);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<JsonElement> DocumentAsync(string period)
    {
        var response = await Coordinator().GetAsync($"/api/reports/submissions/{period}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("document");
    }

    private static async Task AssertBadRequestAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {body}");
        Assert.Equal(ProblemTypes.Validation, JsonSerializer.Deserialize<JsonElement>(body).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Answers_given_twice_are_400_not_the_last_one()
    {
        await AssertBadRequestAsync(await Coordinator().PutAsync("/api/reports/submissions/2017/answers",
            Json("""{"answers":{"selfAssessment.municipal":2},"answers":{"selfAssessment.municipal":5}}""")));
        await AssertBadRequestAsync(await Coordinator().PutAsync("/api/reports/submissions/2017/answers",
            Json("""{"answers":{"selfAssessment.municipal":2,"selfAssessment.municipal":5}}""")));

        Assert.Equal(JsonValueKind.Null, (await DocumentAsync("2017")).GetProperty("selfAssessment").GetProperty("municipal").ValueKind);
    }

    [Theory]
    [InlineData("""{"staffing":[{"buildingBlock":1,"role":"Coordinator","allocatedFte":9223372036854775808,"requestedFte":1,"filledFte":1}]}""")]
    [InlineData("""{"staffing":[{"buildingBlock":9223372036854775808,"role":"Coordinator","allocatedFte":1,"requestedFte":1,"filledFte":1}]}""")]
    [InlineData("""{"answers":{"caseBasis.workingGroups":9223372036854775808}}""")]
    [InlineData("""{"answers":{"selfAssessment.municipal":1e400}}""")]
    public async Task Numbers_beyond_any_answer_are_400_and_the_draft_still_opens(string body)
    {
        await AssertBadRequestAsync(await Coordinator().PutAsync("/api/reports/submissions/2018/answers", Json(body)));

        Assert.Empty((await DocumentAsync("2018")).GetProperty("staffing").EnumerateArray());
    }

    [Theory]
    [InlineData("2019\n")]
    [InlineData(" 2019")]
    [InlineData("2019-H3")]
    [InlineData("２０１９")]
    [InlineData("0000")]
    [InlineData("9999")]
    public async Task A_period_that_is_not_a_whole_year_of_ascii_digits_is_400_and_opens_no_draft(string period)
    {
        var path = $"/api/reports/submissions/{Uri.EscapeDataString(period)}";

        await AssertBadRequestAsync(await Coordinator().GetAsync(path));
        await AssertBadRequestAsync(await Coordinator().PutAsync($"{path}/answers", Json("""{"answers":{"selfAssessment.municipal":2}}""")));

        Assert.False(await service.WithDbAsync(db => db.MunicipalSubmissions.AnyAsync(s => s.Period == period)));
    }

    [Fact]
    public async Task Eight_first_answers_at_the_same_moment_create_one_draft_and_none_fails()
    {
        foreach (var period in new[] { "2011", "2012", "2013", "2014", "2015" })
        {
            var responses = await AtOnce.SendAsync(Enumerable.Range(0, 8).Select(i => Coordinator($"cm-{i}")).ToList(),
                client => client.PutAsync($"/api/reports/submissions/{period}/answers", Json("""{"answers":{"selfAssessment.municipal":2}}""")));

            foreach (var response in responses)
            {
                Assert.True(response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.Conflict, $"{period}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.NoContent);
            Assert.Equal(2, (await DocumentAsync(period)).GetProperty("selfAssessment").GetProperty("municipal").GetInt32());
        }
    }

    [Fact]
    public async Task Eight_rebuilds_at_the_same_moment_none_fails()
    {
        var tenant = "r" + Guid.NewGuid().ToString("N")[..8];
        var opened = Enumerable.Range(0, 20).Select(i => new CaseOpened
        {
            OccurredAt = DateTime.UtcNow,
            TenantId = tenant,
            CaseKey = $"{tenant}-{i}",
            AgeBand = "27-44",
            ResidenceCategory = "Unknown",
            AccessRoute = "Unknown",
        }).ToList();
        foreach (var e in opened)
        {
            await service.PublishAsync(e);
        }

        await Eventually.TrueAsync(
            async () => await service.WithDbAsync(db => db.ReportCounters.Where(c => c.Report == ReadModels.Figure.OpenByTenant && c.Dimension == tenant).SumAsync(c => c.Count)) == opened.Count,
            "every case counted");
        var responses = await AtOnce.SendAsync(Enumerable.Range(0, 8).Select(_ => service.ClientFor(role: KimRoles.Operator)).ToList(),
            client => client.PostAsync("/api/reports/projections/rebuild", null));

        foreach (var response in responses)
        {
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        Assert.Equal(opened.Count, (await Coordinator().GetFromJsonAsync<JsonElement>("/api/reports/overview")).GetProperty("openCasesByTenant").GetProperty(tenant).GetInt32());
    }
}
