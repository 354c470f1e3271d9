using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Kim.CaseService.FunctionalTests;

/// <summary>Optimistic concurrency: concurrent changes of one case have exactly one winner; a stale If-Match gets 412.</summary>
[Collection(CaseServiceCollection.Name)]
public sealed class CaseConcurrencyTests(CaseServiceFixture service)
{
    private CaseApiClient Api(string user) => new(service.ClientFor(CaseServiceFixture.Tenant, user: user), CaseServiceFixture.Tenant, service.Clock);

    [Fact]
    public async Task Twenty_parallel_identical_transitions_have_exactly_one_winner_and_one_history_entry()
    {
        var api = Api("conc-" + Unique());
        var opened = await api.OpenAsync("Parallel", "Person" + Unique());
        var id = opened.GetProperty("id").GetGuid();
        await api.PutAsync($"/cases/{id}/indication", new { targetGroup = true, willingToCooperate = true, communicationPossible = true });
        await api.GiveConsentAsync(id, new { purpose = "CaseManagement", expiresOn = api.Today.AddYears(1) });

        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            using var response = await api.Http.PostAsJsonAsync($"{api.Base}/cases/{id}/advance", new { to = "Assessment" });
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.OK), r =>
        {
            Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
            var type = JsonDocument.Parse(r.Body).RootElement.GetProperty("type").GetString();
            Assert.Contains(type, new[] { "urn:kim:problem:concurrent-change", "urn:kim:problem:precondition:phase-skipped" });
        });
        var history = (await api.GetAsync($"/cases/{id}")).GetProperty("history").EnumerateArray().ToList();
        Assert.Single(history, h => h.GetProperty("to").GetString() == "Assessment");
    }

    [Fact]
    public async Task Parallel_consent_renewals_leave_exactly_one_given_consent()
    {
        var api = Api("conc-" + Unique());
        var opened = await api.OpenAsync("Renewal", "Person" + Unique());
        var id = opened.GetProperty("id").GetGuid();
        var consentId = (await api.GiveConsentAsync(id, new { purpose = "CaseManagement", expiresOn = api.Today.AddMonths(1) })).GetProperty("id").GetGuid();

        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            start.Wait();
            using var response = await api.Http.PostAsJsonAsync($"{api.Base}/cases/{id}/consents/{consentId}/renew",
                new { expiresOn = api.Today.AddYears(1), evidenceReference = $"Akte Bl. {i}" });
            return response.StatusCode;
        })).ToList();
        start.Set();
        var statuses = await Task.WhenAll(attempts);

        Assert.Single(statuses, s => s == HttpStatusCode.OK);
        Assert.All(statuses.Where(s => s != HttpStatusCode.OK), s => Assert.Equal(HttpStatusCode.Conflict, s));
        var consents = (await api.GetAsync($"/cases/{id}/consents")).EnumerateArray().ToList();
        Assert.Single(consents, c => c.GetProperty("status").GetString() == "Given");
        Assert.Single(consents, c => c.GetProperty("status").GetString() == "Renewed");
    }

    [Fact]
    public async Task Reads_send_the_version_as_ETag_and_a_write_with_a_stale_If_Match_is_refused_with_412_and_changes_nothing()
    {
        var api = Api("conc-" + Unique());
        var opened = await api.OpenAsync("Etag", "Person" + Unique());
        var id = opened.GetProperty("id").GetGuid();

        using var read = await api.Http.GetAsync($"{api.Base}/cases/{id}");
        var etag = read.Headers.ETag!.Tag;
        Assert.Equal($"\"{opened.GetProperty("version").GetInt64()}\"", etag);

        // A write with the current ETag succeeds and moves the version on.
        using (var first = new HttpRequestMessage(HttpMethod.Put, $"{api.Base}/cases/{id}/indication")
        {
            Content = JsonContent.Create(new { targetGroup = true, willingToCooperate = true, communicationPossible = true }),
        })
        {
            first.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
            using var response = await api.Http.SendAsync(first);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotEqual(etag, response.Headers.ETag!.Tag);
        }

        // The same ETag is now stale.
        using var stale = new HttpRequestMessage(HttpMethod.Post, $"{api.Base}/cases/{id}/not-indicated")
        {
            Content = JsonContent.Create(new { reason = "anders entschieden", referredToType = "Jobcenter" }),
        };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        using var refused = await api.Http.SendAsync(stale);
        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("urn:kim:problem:stale", problem.GetProperty("type").GetString());
        Assert.Equal("Fall wurde inzwischen geändert", problem.GetProperty("title").GetString());

        var after = await api.GetAsync($"/cases/{id}");
        Assert.Equal("Open", after.GetProperty("status").GetString());
        Assert.Equal(opened.GetProperty("version").GetInt64() + 1, after.GetProperty("version").GetInt64());
        Assert.Equal(1, await service.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.ResourceId == id.ToString() && a.Action == "case.indication-decided")));
        Assert.Equal(0, await service.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.ResourceId == id.ToString() && a.Action == "case.not-indicated")));
    }

    private static string Unique() => Guid.NewGuid().ToString("N")[..8];
}
