using System.Net;
using System.Text.Json;
using Kim.CaseService.Cases;
using Kim.CaseService.Retention;
using Kim.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kim.CaseService.FunctionalTests;

/// <summary>Protection at rest, the audit log, anonymised reconstructions and anonymisation after the retention period.</summary>
[Collection(CaseServiceCollection.Name)]
public sealed class DataProtectionTests(CaseServiceFixture service)
{
    private CaseApiClient Api(string role = "case-manager", string user = "test-user") =>
        new(service.ClientFor(CaseServiceFixture.Tenant, role, user), CaseServiceFixture.Tenant, service.Clock);

    [Fact]
    public async Task Identity_is_encrypted_at_rest_and_found_by_exact_name_through_the_keyed_hash()
    {
        var familyName = "Nachname" + Unique();
        var opened = await Api().OpenAsync("Jürgen", familyName, "1975-06-30");
        var id = opened.GetProperty("id").GetGuid();

        var connectionString = await service.WithDbAsync(db => Task.FromResult(db.Database.GetConnectionString()!));
        var clientId = await service.WithDbAsync(db => db.Cases.Where(c => c.Id == id).Select(c => c.ClientId).SingleAsync());
        var clients = await service.WithDbAsync(db => db.Clients.CountAsync());
        var rowsRead = 0;
        var ownRowRead = false;
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync();
            var command = connection.CreateCommand();
            command.CommandText = "SELECT * FROM Clients";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rowsRead++;
                ownRowRead |= reader.GetGuid(reader.GetOrdinal("Id")) == clientId;
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var value = reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i)) ?? "";
                    Assert.DoesNotContain(familyName, value, StringComparison.OrdinalIgnoreCase);
                    Assert.DoesNotContain("1975-06-30", value, StringComparison.Ordinal);
                }
            }
        }

        // The scan above proves nothing unless it read every client, this one among them.
        Assert.True(clients >= 1);
        Assert.Equal(clients, rowsRead);
        Assert.True(ownRowRead, "the new client's row was not among the rows read");

        var byName = await Api().PostAsync("/cases/search", new { name = $"JURGEN {familyName.ToUpperInvariant()}" });
        Assert.Equal(id, Assert.Single(byName.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        var byFamily = await Api().PostAsync("/cases/search", new { name = $" {familyName} " });
        Assert.Single(byFamily.GetProperty("items").EnumerateArray());
        var other = await Api().PostAsync("/cases/search", new { name = familyName + "x" });
        Assert.Equal(0, other.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_signed_in_person_refused_on_the_tenants_data_is_named_in_the_audit_chain_an_anonymous_request_is_not()
    {
        var opened = await Api(user: "anna").OpenAsync("Refused" + Unique(), "Person" + Unique());
        var id = opened.GetProperty("id").GetGuid();
        var reporter = "reporter-" + Unique();
        var stranger = "stranger-" + Unique();

        // A role without case access, and a case manager of another tenant.
        Assert.Equal(HttpStatusCode.Forbidden, (await service.ClientFor(CaseServiceFixture.Tenant, "state-reporter", reporter).GetAsync($"/api/tenants/caritas/cases/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.ClientFor("diakonie", "case-manager", stranger).GetAsync($"/api/tenants/caritas/cases/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.ClientFor("diakonie", "case-manager", stranger).GetAsync("/api/tenants/caritas/cases")).StatusCode);
        using var anonymous = service.Caritas.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/tenants/caritas/cases/{id}")).StatusCode);

        var officer = Api("data-protection-officer", "dpo");
        var onCase = (await officer.GetAsync($"/audit?resourceId={id}")).GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("action").GetString() == "access.refused")
            .Select(e => (User: e.GetProperty("user").GetString(), Role: e.GetProperty("role").GetString(), Tenant: e.GetProperty("tenant").GetString(), Purpose: e.GetProperty("purpose").GetString()))
            .ToList();
        Assert.Equal(
            [(reporter, "state-reporter", "caritas", "access-control"), (stranger, "case-manager", "diakonie", "access-control")],
            onCase);
        var list = (await officer.GetAsync($"/audit?user={stranger}")).GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("resourceType").GetString() == "endpoint").ToList();
        Assert.Equal("GET /api/tenants/{tenant}/cases", Assert.Single(list).GetProperty("resourceId").GetString());
        Assert.True((await officer.GetAsync("/audit/verification")).GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task Reads_and_changes_are_audited_the_officer_reads_and_verifies_the_chain_and_a_changed_entry_is_named()
    {
        var opened = await Api(user: "anna").OpenAsync("Audit" + Unique(), "Person" + Unique());
        var id = opened.GetProperty("id").GetGuid();
        await Api(user: "anna").GetAsync($"/cases/{id}");

        Assert.Equal(HttpStatusCode.Forbidden, (await service.ClientFor("caritas").GetAsync("/api/tenants/caritas/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.ClientFor("caritas", "data-protection-officer").GetAsync("/api/tenants/caritas/cases")).StatusCode);
        var officer = Api("data-protection-officer", "dpo");
        var entries = await officer.GetAsync($"/audit?resourceId={id}");
        var actions = entries.GetProperty("items").EnumerateArray().Select(e => (e.GetProperty("action").GetString(), e.GetProperty("user").GetString())).ToList();
        Assert.Contains(("case.opened", "anna"), actions);
        Assert.Contains(("case.read", "anna"), actions);
        var first = entries.GetProperty("items")[0];
        Assert.Equal("caritas", first.GetProperty("tenant").GetString());
        Assert.Equal("case-manager", first.GetProperty("role").GetString());
        Assert.Equal("case-management", first.GetProperty("purpose").GetString());

        var intact = await officer.GetAsync("/audit/verification");
        Assert.True(intact.GetProperty("intact").GetBoolean());

        // Someone with database access rewrites history: the chain names the entry.
        var sequence = first.GetProperty("sequence").GetInt64();
        await service.WithDbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE AuditEntries SET User = 'mallory' WHERE Sequence = {sequence}"));
        try
        {
            var broken = await officer.GetAsync("/audit/verification");
            Assert.False(broken.GetProperty("intact").GetBoolean());
            Assert.Equal(sequence, broken.GetProperty("firstBrokenSequence").GetInt64());
        }
        finally
        {
            await service.WithDbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE AuditEntries SET User = 'anna' WHERE Sequence = {sequence}"));
        }

        Assert.True((await officer.GetAsync("/audit/verification")).GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task A_reconstruction_naming_a_client_is_refused_an_anonymised_one_is_published()
    {
        var familyName = "Rekonstrukt" + Unique();
        await Api().OpenAsync("Aylin", familyName, "1988-03-09");
        var coordinator = Api("coordinator", "koordination");
        var before = await service.WithDbAsync(db => db.Reconstructions.CountAsync());

        object Reconstruction(string description) => new
        {
            title = "Übergang Schule-Beruf",
            barriers = new[] { new { lifeDomain = "TrainingWork", legalDomain = "SgbIII", description, themeTags = new[] { "Anerkennung" } } },
        };

        foreach (var leak in new[] { $"Frau {familyName.ToUpperInvariant()} wartete 8 Monate", "Geboren am 09.03.1988, wartete lange", "aylin " + familyName })
        {
            var problem = await coordinator.PostAsync("/reconstructions", Reconstruction(leak), HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("barriers[0].description", out _));
            Assert.DoesNotContain(familyName, problem.GetRawText(), StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(before, await service.WithDbAsync(db => db.Reconstructions.CountAsync()));
        await Api().PostAsync("/reconstructions", Reconstruction("x"), HttpStatusCode.Forbidden);

        await using var probe = await AmqpProbe.BindAsync(service.MessagingUri, "Kim.Contracts.Cases:CaseReconstructionSubmitted");
        var created = await coordinator.PostAsync("/reconstructions",
            Reconstruction("Anerkennungsverfahren dauerte acht Monate, Sprachkurs erst danach"), HttpStatusCode.Created);
        var raw = await probe.NextAsync(TimeSpan.FromSeconds(20));
        var message = JsonDocument.Parse(raw).RootElement.GetProperty("message");
        Assert.Equal(created.GetProperty("id").GetGuid(), message.GetProperty("reconstructionId").GetGuid());
        Assert.Equal("anerkennung", message.GetProperty("barriers")[0].GetProperty("themeTags")[0].GetString());
        Assert.False(message.TryGetProperty("caseKey", out _));
    }

    [Fact]
    public async Task Closed_cases_are_anonymised_after_the_retention_period_and_statistics_stay()
    {
        var api = Api();
        var familyName = "Retention" + Unique();
        var (id, steering) = await api.CaseInAsync("ServiceSteering", "Old", familyName);
        var goalId = steering.GetProperty("goals")[0].GetProperty("id").GetGuid();
        await api.PostAsync($"/cases/{id}/close", new { reason = "Umzug", evaluations = new[] { new { goalId, evaluation = "PartlyAchieved" } } });
        // A client whose case is still open keeps their data however old it is.
        var openFamilyName = "Retention" + Unique();
        var (openId, _) = await api.CaseInAsync("Assessment", "Open", openFamilyName);
        var job = service.Services.GetRequiredService<RetentionJob>();

        await job.RunOnceAsync(CancellationToken.None);
        Assert.Equal(familyName, (await api.GetAsync($"/cases/{id}")).GetProperty("client").GetProperty("familyName").GetString());

        // Other tests of the collection share the database: due are exactly the clients with data whose cases all ended.
        var due = await service.WithDbAsync(db => db.Clients
            .Where(client => client.ProtectedIdentity != null && db.Cases.Any(c => c.ClientId == client.Id) && !db.Cases.Any(c => c.ClientId == client.Id && c.Status == CaseStatus.Open))
            .Select(client => client.Id).ToListAsync());
        var closedClient = await service.WithDbAsync(db => db.Cases.Where(c => c.Id == id).Select(c => c.ClientId).SingleAsync());
        var openClient = await service.WithDbAsync(db => db.Cases.Where(c => c.Id == openId).Select(c => c.ClientId).SingleAsync());
        Assert.Contains(closedClient, due);
        Assert.DoesNotContain(openClient, due);

        service.Clock.Advance(TimeSpan.FromDays(731));
        Assert.Equal(due.Count, await job.RunOnceAsync(CancellationToken.None));
        var anonymisedNow = await service.WithDbAsync(db => db.Clients.Where(c => c.AnonymisedAt != null && c.ProtectedIdentity == null && due.Contains(c.Id)).CountAsync());
        Assert.Equal(due.Count, anonymisedNow);
        Assert.Equal(openFamilyName, (await api.GetAsync($"/cases/{openId}")).GetProperty("client").GetProperty("familyName").GetString());

        var anonymised = await api.GetAsync($"/cases/{id}?status=Closed");
        var client = anonymised.GetProperty("client");
        Assert.True(client.GetProperty("anonymised").GetBoolean());
        Assert.Equal(JsonValueKind.Null, client.GetProperty("familyName").ValueKind);
        Assert.Equal(JsonValueKind.Null, anonymised.GetProperty("assessments")[0].GetProperty("situation").ValueKind);
        Assert.Equal("PartlyAchieved", anonymised.GetProperty("goals")[0].GetProperty("evaluation").GetString());
        Assert.Equal(0, (await api.PostAsync("/cases/search", new { status = "Closed", name = familyName })).GetProperty("total").GetInt32());
        await api.RefusedAsync(HttpMethod.Post, $"/cases/{id}/reopen", new { reason = "zurück" }, "case-anonymised");
    }

    private static string Unique() => Guid.NewGuid().ToString("N")[..8];
}
