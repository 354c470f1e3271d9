using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kim.Contracts;
using Kim.Contracts.Cases;
using Kim.Contracts.Network;
using Kim.ServiceDefaults;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kim.ReportingService.FunctionalTests;

/// <summary>The municipality's submission from draft to the state, against a real state-mode host.</summary>
public sealed class SubmissionWorkflowTests(ReportingServiceFixture service, StateReportingFixture state)
    : IClassFixture<ReportingServiceFixture>, IClassFixture<StateReportingFixture>
{
    [Fact]
    public async Task Live_and_manual_answers_are_approved_by_a_second_person_and_only_then_reach_the_state()
    {
        var now = DateTime.UtcNow;
        var caseKey = "sub-" + Guid.NewGuid().ToString("N")[..8];
        IntegrationEvent[] events =
        [
            new CaseOpened { TenantId = "caritas", CaseKey = caseKey, AgeBand = "27-44", ResidenceCategory = "Unknown", AccessRoute = "Unknown", OccurredAt = now.AddDays(-5) },
            new CasePhaseChanged { TenantId = "caritas", CaseKey = caseKey, From = CasePhase.Intake, To = CasePhase.Assessment, OccurredAt = now.AddDays(-4) },
            new MeetingHeld { MeetingId = Guid.NewGuid(), HeldOn = DateOnly.FromDateTime(now), VotingMembers = 8, VotingMembersPresent = 6, Quorate = true, RepresentedTypes = [OrganisationType.Carrier], OccurredAt = now.AddDays(-3) },
            new RulesOfProcedureAdopted { Version = 1, ResolutionNumber = "LG-2026-01", CircularResolutionsAllowed = true, OccurredAt = now.AddDays(-3) },
        ];
        foreach (var e in events)
        {
            await service.PublishAsync((dynamic)e);
        }

        var ids = events.Select(e => e.MessageId).ToList();
        await Eventually.TrueAsync(async () => await service.WithDbAsync(db => db.StoredEvents.CountAsync(e => ids.Contains(e.MessageId))) == ids.Count, "every event stored");

        // The municipality's machine client: the ministry's tenant, and its token names the municipality it submits for.
        var token = StateTokens.MachineClient(state.SigningKey, "05158");
        using var municipal = service.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Reporting:Municipality:StateToken", token);
            builder.UseSetting("Reporting:Municipality:StateEndpoint", "http://statereportingservice");
            builder.ConfigureTestServices(services => services.AddHttpClient(Kim.ReportingService.Submission.SubmissionApi.StateClient)
                .ConfigurePrimaryHttpMessageHandler(() => state.Server.CreateHandler()));
        });
        HttpClient As(string user) => municipal.CreateClient().WithToken(service.SigningKey, "kommune", KimRoles.Coordinator, user);
        var period = now.Year.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var path = $"/api/reports/submissions/{period}";

        var draft = await Eventually.ValueAsync(async () =>
        {
            var view = await As("anna").GetFromJsonAsync<JsonElement>(path);
            return view.GetProperty("document").GetProperty("projectOrganisation").GetProperty("steeringGroup").ValueKind == JsonValueKind.String ? new Box(view) : null;
        }, "the live answers");
        var origins = draft.Value.GetProperty("document").GetProperty("origins");
        Assert.Equal("LiveData", origins.GetProperty("projectOrganisation.steeringGroup").GetString());
        Assert.Equal("LiveData", origins.GetProperty("caseManagement.casesTaken").GetString());
        Assert.Equal("Draft", draft.Value.GetProperty("status").GetString());

        // Manual answers fill what live data cannot say, never what it says; unknown answers are refused.
        Assert.Equal(HttpStatusCode.BadRequest, (await As("anna").PutAsJsonAsync($"{path}/answers", new { answers = new Dictionary<string, object> { ["network.telepathy"] = true } })).StatusCode);
        var answered = await As("anna").PutAsJsonAsync($"{path}/answers", new
        {
            answers = new Dictionary<string, object?> { ["network.networkFunction"] = "Telepathy", ["caseManagement.casesTaken"] = 9999, ["selfAssessment.municipal"] = 2 },
        });
        Assert.Equal(HttpStatusCode.NoContent, answered.StatusCode);
        var withAnswers = await As("anna").GetFromJsonAsync<JsonElement>(path);
        Assert.Equal("ManualAnswer", withAnswers.GetProperty("document").GetProperty("origins").GetProperty("network.networkFunction").GetString());
        // Live data says one case reached assessment; the manual 9999 does not replace it.
        Assert.Equal(1, withAnswers.GetProperty("document").GetProperty("caseManagement").GetProperty("casesTaken").GetInt32());
        Assert.Equal("LiveData", withAnswers.GetProperty("document").GetProperty("origins").GetProperty("caseManagement.casesTaken").GetString());
        Assert.Contains(withAnswers.GetProperty("violations").EnumerateArray(), v => v.GetProperty("pointer").GetString() == "/network/networkFunction");
        var assessment = withAnswers.GetProperty("assessment");
        Assert.Equal(6, assessment.GetProperty("dimensions").GetArrayLength());
        Assert.NotEmpty(assessment.GetProperty("missingForNextType").EnumerateArray());
        Assert.Contains(assessment.GetProperty("indicators").EnumerateArray(),
            i => i.GetProperty("path").GetString() == "projectOrganisation.steeringGroup" && i.GetProperty("origin").GetString() == "LiveData" && i.GetProperty("score").GetDouble() == 1);

        // An invalid document is not approved; the one who answered does not approve; nothing is sent before approval.
        var incomplete = await ConflictAsync(await As("ki-leitung").PostAsJsonAsync($"{path}/approve", new { approverName = "Dr. Leitung" }), "Meldung unvollständig");
        Assert.Contains(incomplete.GetProperty("violations").EnumerateArray(), v => v.GetProperty("pointer").GetString() == "/network/networkFunction");
        Assert.Equal(HttpStatusCode.NoContent, (await As("anna").PutAsJsonAsync($"{path}/answers", new { answers = new Dictionary<string, object?> { ["network.networkFunction"] = "Negotiation" } })).StatusCode);
        await ConflictAsync(await As("anna").PostAsJsonAsync($"{path}/approve", new { approverName = "Anna" }), "Vier-Augen-Prinzip");
        await ConflictAsync(await As("anna").PostAsync($"{path}/submit", null), "Meldung nicht freigegeben");
        var approved = await As("ki-leitung").PostAsJsonAsync($"{path}/approve", new { approverName = "Dr. Leitung" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);

        var submitted = await As("anna").PostAsync($"{path}/submit", null);
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        Assert.Equal("Submitted", (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var atState = await state.StateReporter().GetFromJsonAsync<JsonElement>($"/api/state/submissions?period={period}");
        Assert.Contains(atState.EnumerateArray(), s => s.GetProperty("municipalityId").GetString() == "05158");
        var networkFunction = await state.StateReporter().GetFromJsonAsync<JsonElement>($"/api/state/crosstab?period={period}&row=network.networkFunction");
        Assert.Equal(1, networkFunction.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("value").GetString() == "Negotiation").GetProperty("cells").GetProperty("total").GetProperty("count").GetInt32());

        await ConflictAsync(await As("anna").PutAsJsonAsync($"{path}/answers", new { answers = new Dictionary<string, object?> { ["selfAssessment.municipal"] = 1 } }), "Meldung bereits übermittelt");
        Assert.Equal(HttpStatusCode.Forbidden, (await municipal.CreateClient().WithToken(service.SigningKey, "kommune", KimRoles.CaseManager).GetAsync(path)).StatusCode);
    }

    /// <summary>Asserts a 409 of the rule named by <paramref name="title"/> and returns the problem.</summary>
    private static async Task<JsonElement> ConflictAsync(HttpResponseMessage response, string title)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"{(int)response.StatusCode} {body}");
        var problem = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal(ProblemTypes.Conflict, problem.GetProperty("type").GetString());
        Assert.Equal(title, problem.GetProperty("title").GetString());
        return problem;
    }

    private sealed record Box(JsonElement Value);
}
