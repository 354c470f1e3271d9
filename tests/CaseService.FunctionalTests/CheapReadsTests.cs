using System.Net;
using System.Text.Json;
using Kim.CaseService.Audit;
using Kim.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kim.CaseService.FunctionalTests;

/// <summary>
/// Reads are audited with group commit (one transaction for the entries of all reads waiting at once) and never
/// answered without their entry; the case list and the case file ask the database a fixed number of times.
/// </summary>
[Collection(CaseServiceCollection.Name)]
public sealed class CheapReadsTests(CaseServiceFixture service)
{
    private DbProbe Probe => service.Caritas.Probe;

    private CaseApiClient Api(string user, string role = "case-manager") =>
        new(service.ClientFor(CaseServiceFixture.Tenant, role, user), CaseServiceFixture.Tenant, service.Clock);

    [Fact]
    public async Task Concurrent_reads_each_get_their_entry_in_one_unbroken_chain()
    {
        var user = "concurrent-" + Unique();
        var id = (await Api(user).OpenAsync("Gleichzeitig", "Person" + Unique())).GetProperty("id").GetGuid();

        const int Reads = 40;
        var answers = await Task.WhenAll(Enumerable.Range(0, Reads).Select(i => i % 4 == 0
            ? Api(user).Http.GetAsync($"/api/tenants/caritas/cases?take=10")
            : Api(user).Http.GetAsync($"/api/tenants/caritas/cases/{id}")));
        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.StatusCode));

        var entries = await service.WithDbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(a => a.User == user && a.ResourceId == id.ToString() && (a.Action == "case.read" || a.Action == "case.listed")).ToListAsync());
        Assert.Equal(Reads, entries.Count);
        Assert.Equal(Reads, entries.Select(e => e.Sequence).Distinct().Count());
        var verification = await Api("dpo", "data-protection-officer").GetAsync("/audit/verification");
        Assert.True(verification.GetProperty("intact").GetBoolean(), verification.ToString());
    }

    [Fact]
    public async Task A_read_whose_entry_a_full_batch_left_behind_is_still_written_and_answered()
    {
        // One entry per transaction: whoever holds the writer may commit others' entries first, never leaving its own.
        var writer = new AuditWriter(service.Caritas.Services.GetRequiredService<IServiceScopeFactory>(),
            Microsoft.Extensions.Options.Options.Create(new AuditOptions { MaxBatch = 1 }),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<AuditWriter>.Instance);
        var resource = Unique();
        await using var scope = service.Caritas.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Infrastructure.CaseDbContext>();

        var reads = Enumerable.Range(0, 30).Select(i => Task.Run(() => writer.AppendAsync(db,
            [AuditEntry.BySystem(CaseServiceFixture.Tenant, "case.read", "case", resource, "case-management", DateTime.UtcNow)], CancellationToken.None))).ToArray();
        var all = Task.WhenAll(reads);

        Assert.Same(all, await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(60))));
        Assert.Equal(30, await service.WithDbAsync(d => d.AuditEntries.CountAsync(a => a.ResourceId == resource)));
    }

    [Fact]
    public async Task Reads_arriving_while_the_chain_is_written_share_the_next_transaction()
    {
        var user = "batched-" + Unique();
        var id = (await Api(user).OpenAsync("Gebündelt", "Person" + Unique())).GetProperty("id").GetGuid();
        var writer = service.Caritas.Services.GetRequiredService<AuditWriter>();

        Probe.ClearAuditInserts();
        var held = Probe.HoldAudit();
        Task<HttpResponseMessage>[] waiting = [];
        Task<HttpResponseMessage> first;
        try
        {
            // The first read's entry is being written (and held there); 19 more reads queue behind it.
            first = Api(user).Http.GetAsync($"/api/tenants/caritas/cases/{id}");
            await held.WaitAsync(TimeSpan.FromSeconds(30));
            waiting = [.. Enumerable.Range(0, 19).Select(_ => Api(user).Http.GetAsync($"/api/tenants/caritas/cases/{id}"))];
            await Eventually.TrueAsync(() => Task.FromResult(writer.Waiting == 19), "19 reads to wait for the audit writer");
            Assert.False(first.IsCompleted, "a read was answered before its audit entry was committed");
        }
        finally
        {
            Probe.ReleaseAudit();
        }

        Assert.All(await Task.WhenAll([first, .. waiting]), answer => Assert.Equal(HttpStatusCode.OK, answer.StatusCode));
        Assert.Equal([1, 19], Probe.EntriesPerAuditTransaction().Take(2));
        Assert.Equal(20, await service.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.User == user && a.Action == "case.read")));
        Assert.True((await Api("dpo", "data-protection-officer").GetAsync("/audit/verification")).GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task A_read_whose_audit_entry_cannot_be_written_is_refused_with_503_and_no_personal_data()
    {
        var user = "unaudited-" + Unique();
        var familyName = "Unprotokolliert" + Unique();
        var id = (await Api(user).OpenAsync("Ohne", familyName)).GetProperty("id").GetGuid();

        Probe.FailAudit = true;
        HttpResponseMessage file, list;
        try
        {
            file = await Api(user).Http.GetAsync($"/api/tenants/caritas/cases/{id}");
            list = await Api(user).Http.GetAsync("/api/tenants/caritas/cases");
        }
        finally
        {
            Probe.FailAudit = false;
        }

        foreach (var refused in new[] { file, list })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var body = await refused.Content.ReadAsStringAsync();
            Assert.DoesNotContain(familyName, body, StringComparison.Ordinal);
            Assert.DoesNotContain(id.ToString(), body, StringComparison.Ordinal);
            Assert.Equal("urn:kim:problem:audit-unavailable", JsonDocument.Parse(body).RootElement.GetProperty("type").GetString());
        }

        // Nothing of the refused reads is in the chain; once the log can be written again, the read is answered.
        Assert.Equal(0, await service.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.User == user && a.Action != "case.opened")));
        var read = await Api(user).GetAsync($"/cases/{id}");
        Assert.Equal(familyName, read.GetProperty("client").GetProperty("familyName").GetString());
        Assert.True((await Api("dpo", "data-protection-officer").GetAsync("/audit/verification")).GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task The_case_list_and_the_case_file_ask_the_database_as_often_for_fifty_cases_as_for_one()
    {
        var one = "one-case-" + Unique();
        var many = "fifty-cases-" + Unique();
        var single = (await Api(one).OpenAsync("Einzeln", "Person" + Unique())).GetProperty("id").GetGuid();
        for (var i = 0; i < 50; i++)
        {
            await Api(many).OpenAsync("Viele", $"Person{i}{Unique()}");
        }

        var (worked, _) = await Api(many).CaseInAsync("ServiceSteering", "Bearbeitet", "Person" + Unique());

        var listOfOne = await QueriesAsync(one, "/cases?take=50", items: 1);
        var listOfFifty = await QueriesAsync(many, "/cases?take=50", items: 50);
        Assert.True(listOfOne > 0);
        Assert.Equal(listOfOne, listOfFifty);

        // The case file of a new case and of one with assessments, goals, plan items, consents and history.
        Assert.Equal(await QueriesAsync(one, $"/cases/{single}"), await QueriesAsync(many, $"/cases/{worked}"));
    }

    /// <summary>Sends a read marked for the probe and returns how many database commands it took (the audit log's aside).</summary>
    private async Task<int> QueriesAsync(string user, string path, int? items = null)
    {
        var client = Api(user);
        var probe = user + path;
        client.Http.DefaultRequestHeaders.Add(DbProbe.Header, probe);
        var body = await client.GetAsync(path);
        if (items is { } expected)
        {
            Assert.Equal(expected, body.GetProperty("items").GetArrayLength());
        }

        return Probe.QueriesOf(probe);
    }

    private static string Unique() => Guid.NewGuid().ToString("N")[..8];
}
