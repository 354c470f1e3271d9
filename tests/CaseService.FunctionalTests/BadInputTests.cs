using System.Net;
using System.Text.Json;
using Kim.CaseService.Infrastructure;
using Kim.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Kim.CaseService.FunctionalTests;

/// <summary>Every write endpoint: bad input is a 400 problem naming the fields, and nothing changes.</summary>
[Collection(CaseServiceCollection.Name)]
public sealed class BadInputTests(CaseServiceFixture service)
{
    private static readonly string[] Unreadable = ["{", "[]", "\"text\"", "{\"unknownField\":1}", "{\"reason\":{\"deep\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}}"];

    [Fact]
    public async Task Every_write_endpoint_refuses_bad_input_with_the_failing_fields_and_changes_nothing()
    {
        var api = new CaseApiClient(service.ClientFor(CaseServiceFixture.Tenant), CaseServiceFixture.Tenant, service.Clock);
        var (id, steering) = await api.CaseInAsync("ServiceSteering", "Bad" + Guid.NewGuid().ToString("N")[..6], "Input");
        var planItem = steering.GetProperty("planItems")[0].GetProperty("id").GetGuid();
        var withReferral = await api.PostAsync($"/cases/{id}/referrals", new { planItemId = planItem, providerOrganisationId = CaseServiceFixture.Jobcenter, sharePersonalData = false });
        var referral = withReferral.GetProperty("referrals")[0].GetProperty("id").GetGuid();
        var consent = (await api.PostAsync($"/cases/{id}/consents", new { purpose = "CaseConference", expiresOn = api.Today.AddMonths(1) }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var longText = new string('x', 5000);
        var c = $"/cases/{id}";

        var endpoints = new (HttpMethod Method, string Path, string Role, string[] Required, string[] Extra)[]
        {
            (HttpMethod.Post, "/cases", "case-manager", ["client"], ["{\"client\":{\"givenName\":\"A\u0000B\",\"familyName\":\"B\",\"birthDate\":\"1990-01-01\",\"residenceStatus\":\"Martian\"}}"]),
            (HttpMethod.Put, $"{c}/indication", "case-manager", ["targetGroup", "willingToCooperate", "communicationPossible"], ["{\"targetGroup\":\"yes\"}"]),
            (HttpMethod.Post, $"{c}/not-indicated", "case-manager", ["reason", "referredToType"], ["{\"reason\":\"x\",\"referredToType\":\"Nowhere\"}"]),
            (HttpMethod.Post, $"{c}/advance", "case-manager", ["to"], ["{\"to\":\"Closure\"}", "{\"to\":3}"]),
            (HttpMethod.Post, $"{c}/step-back", "case-manager", ["reason"], [$"{{\"reason\":\"{longText}\"}}"]),
            (HttpMethod.Post, $"{c}/close", "case-manager", ["reason"], ["{\"reason\":\"x\",\"evaluations\":[{\"goalId\":null}]}"]),
            (HttpMethod.Post, $"{c}/reopen", "case-manager", ["reason"], ["{\"reason\":\"\u202Eevil\"}"]),
            (HttpMethod.Put, $"{c}/assessments/Housing", "case-manager", ["situation", "resources", "needs", "clientView"], []),
            (HttpMethod.Post, $"{c}/goals", "case-manager", ["lifeDomain", "description", "clientAgreed"], ["{\"lifeDomain\":\"Moon\",\"description\":\"x\",\"clientAgreed\":true}"]),
            (HttpMethod.Post, $"{c}/plan-items", "case-manager", ["title", "lifeDomain", "legalDomain", "responsibleOrganisationId", "targetDays"],
                [$"{{\"title\":\"t\",\"lifeDomain\":\"Housing\",\"legalDomain\":\"SgbII\",\"responsibleOrganisationId\":\"{Guid.NewGuid()}\",\"targetDays\":0}}"]),
            (HttpMethod.Post, $"{c}/plan-items/from-chain", "case-manager", ["chainId"], ["{\"chainId\":\"not-a-guid\"}"]),
            (HttpMethod.Post, $"{c}/deliveries", "case-manager", ["planItemId", "delivered", "recordedOn"], ["{\"planItemId\":\"00000000-0000-0000-0000-000000000000\",\"delivered\":true,\"recordedOn\":\"2999-01-01\"}"]),
            (HttpMethod.Post, $"{c}/reviews", "case-manager", ["kind", "heldOn", "participants", "outcome"], ["{\"kind\":\"Review\",\"heldOn\":\"2026-01-01\",\"participants\":[],\"outcome\":\"x\"}"]),
            (HttpMethod.Post, $"{c}/consents", "case-manager", ["purpose", "expiresOn"], ["{\"purpose\":\"CaseManagement\",\"expiresOn\":\"2000-01-01\"}", "{\"purpose\":\"DataTransferToProvider\",\"expiresOn\":\"2030-01-01\"}"]),
            (HttpMethod.Put, $"{c}/consents/{consent}", "case-manager", ["purpose", "expiresOn"], []),
            (HttpMethod.Post, $"{c}/consents/{consent}/give", "case-manager", ["givenBy", "evidenceReference"], ["{\"givenBy\":\"Representative\",\"evidenceReference\":\"x\"}"]),
            (HttpMethod.Post, $"{c}/consents/{consent}/withdraw", "case-manager", [], [$"{{\"reason\":\"{longText}\"}}"]),
            (HttpMethod.Post, $"{c}/consents/{consent}/renew", "case-manager", ["expiresOn", "evidenceReference"], []),
            (HttpMethod.Post, $"{c}/referrals", "case-manager", ["planItemId", "providerOrganisationId", "sharePersonalData"],
                [$"{{\"planItemId\":\"{planItem}\",\"providerOrganisationId\":\"{Guid.NewGuid()}\",\"sharePersonalData\":false}}"]),
            (HttpMethod.Post, $"{c}/referrals/{referral}/status", "case-manager", ["status"], ["{\"status\":\"Completed\"}", "{\"status\":\"Rejected\"}", "{\"status\":\"Issued\"}"]),
            (HttpMethod.Post, $"/incoming-referrals/{Guid.NewGuid()}/status", "case-manager", ["status"], []),
            (HttpMethod.Post, "/reconstructions", "coordinator", ["title", "barriers"], ["{\"title\":\"t\",\"barriers\":[{\"lifeDomain\":\"Housing\",\"legalDomain\":\"SgbII\",\"description\":\"\"}]}"]),
        };

        var before = await SnapshotAsync();
        var tried = 0;
        foreach (var (method, path, role, required, extra) in endpoints)
        {
            var client = new CaseApiClient(service.ClientFor(CaseServiceFixture.Tenant, role), CaseServiceFixture.Tenant, service.Clock);
            if (required.Length > 0)
            {
                var problem = await client.SendAsync(method, path, "{}", HttpStatusCode.BadRequest);
                Assert.Equal(ProblemTypes.Validation, problem.GetProperty("type").GetString());
                var fields = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToHashSet();
                Assert.True(required.All(fields.Contains), $"{method} {path}: expected errors for {string.Join(", ", required)}, got {string.Join(", ", fields)}");
                tried++;
            }

            foreach (var body in Unreadable.Concat(extra))
            {
                var problem = await client.SendAsync(method, path, body, HttpStatusCode.BadRequest);
                Assert.True(problem.GetProperty("type").GetString() is ProblemTypes.Validation or ProblemTypes.MalformedRequest, $"{method} {path} {body}: {problem}");
                tried++;
            }
        }

        Assert.Equal(before, await SnapshotAsync());
        Assert.True(tried > 120, $"only {tried} bad requests");
    }

    [Fact]
    public async Task Refusals_speak_german_name_the_allowed_values_of_an_unknown_enum_and_an_unknown_route_is_a_problem()
    {
        var api = new CaseApiClient(service.ClientFor(CaseServiceFixture.Tenant), CaseServiceFixture.Tenant, service.Clock);

        var missing = await api.SendAsync(HttpMethod.Post, "/cases", "{}", HttpStatusCode.BadRequest);
        Assert.Equal("Eingaben ungültig", missing.GetProperty("title").GetString());
        Assert.Equal("Pflichtangabe.", missing.GetProperty("errors").GetProperty("client")[0].GetString());
        var tooLong = await api.SendAsync(HttpMethod.Post, "/cases",
            new { client = new { givenName = new string('x', 201), familyName = "B", birthDate = "1990-01-01" } }, HttpStatusCode.BadRequest);
        Assert.Equal("Höchstens 200 Zeichen.", tooLong.GetProperty("errors").GetProperty("client.givenName")[0].GetString());

        var (id, _) = await api.CaseInAsync("GoalAgreement", "Enum" + Guid.NewGuid().ToString("N")[..6], "Value");
        var unknownEnum = await api.SendAsync(HttpMethod.Post, $"/cases/{id}/goals",
            "{\"lifeDomain\":\"Moon\",\"description\":\"x\",\"clientAgreed\":true}", HttpStatusCode.BadRequest);
        Assert.Equal(ProblemTypes.MalformedRequest, unknownEnum.GetProperty("type").GetString());
        Assert.Equal("Anfrage nicht lesbar", unknownEnum.GetProperty("title").GetString());
        var detail = unknownEnum.GetProperty("detail").GetString()!;
        Assert.Contains("'lifeDomain'", detail, StringComparison.Ordinal);
        Assert.All(Enum.GetNames<Kim.Contracts.LifeDomain>(), name => Assert.Contains(name, detail, StringComparison.Ordinal));
        Assert.Contains("Erlaubt sind: ", unknownEnum.GetProperty("errors").GetProperty("lifeDomain")[0].GetString(), StringComparison.Ordinal);

        // An enum inside a list: the element's path and the element type's values.
        var unknownElement = await api.SendAsync(HttpMethod.Post, $"/cases/{id}/reviews",
            "{\"kind\":\"Review\",\"heldOn\":\"2026-01-01\",\"participants\":[\"Martians\"],\"outcome\":\"x\"}", HttpStatusCode.BadRequest);
        Assert.Contains("'participants[0]'", unknownElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("Erlaubt sind: ", unknownElement.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var unmatched = await api.Http.GetAsync(api.Base + "/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, unmatched.StatusCode);
        Assert.Equal("application/problem+json", unmatched.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await unmatched.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Nicht gefunden", problem.GetProperty("title").GetString());
        Assert.Equal(ProblemTypes.NotFound, problem.GetProperty("type").GetString());
    }

    /// <summary>Row counts of every table plus the state of every case, consent and referral.</summary>
    private Task<string> SnapshotAsync() => service.WithDbAsync(async db =>
    {
        var counts = new Dictionary<string, object>
        {
            ["cases"] = await db.Cases.CountAsync(),
            ["clients"] = await db.Clients.CountAsync(),
            ["assessments"] = await db.Assessments.CountAsync(),
            ["goals"] = await db.Goals.CountAsync(),
            ["plan"] = await db.PlanItems.CountAsync(),
            ["referrals"] = await db.Referrals.CountAsync(),
            ["incoming"] = await db.IncomingReferrals.CountAsync(),
            ["deliveries"] = await db.Deliveries.CountAsync(),
            ["reviews"] = await db.Reviews.CountAsync(),
            ["history"] = await db.PhaseChanges.CountAsync(),
            ["consents"] = await db.Consents.CountAsync(),
            ["reconstructions"] = await db.Reconstructions.CountAsync(),
            ["audit"] = await db.AuditEntries.CountAsync(),
            ["outbox"] = await db.OutboxMessages.CountAsync(),
            ["caseStates"] = await db.Cases.OrderBy(x => x.Id).Select(x => x.Phase + "/" + x.Status).ToListAsync(),
            ["consentStates"] = await db.Consents.OrderBy(x => x.Id).Select(x => x.Status + "/" + x.ExpiresOn).ToListAsync(),
            ["referralStates"] = await db.Referrals.OrderBy(x => x.Id).Select(x => x.Status.ToString()).ToListAsync(),
        };
        return JsonSerializer.Serialize(counts);
    });
}
