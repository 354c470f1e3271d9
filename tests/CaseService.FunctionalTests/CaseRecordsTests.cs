using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Kim.CaseService.Retention;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kim.CaseService.FunctionalTests;

/// <summary>A day's case work: journal, follow-ups, need to know and handover, corrections, duplicates, search, documents.</summary>
[Collection(CaseServiceCollection.Name)]
public sealed class CaseRecordsTests(CaseServiceFixture service)
{
    private CaseApiClient Api(string user, string role = "case-manager") =>
        new(service.ClientFor(CaseServiceFixture.Tenant, role, user), CaseServiceFixture.Tenant, service.Clock);

    [Fact]
    public async Task Journal_entries_are_encrypted_at_rest_listed_newest_first_and_every_read_is_audited()
    {
        var api = Api("journal-" + Unique());
        var id = (await api.OpenAsync("Journal", "Person" + Unique())).GetProperty("id").GetGuid();
        var secret = "Sprach über Kündigung der Wohnung " + Unique();

        var first = await api.PostAsync($"/cases/{id}/journal", new { kind = "PhoneCall", occurredOn = api.Today, durationMinutes = 20, text = secret }, HttpStatusCode.Created);
        Assert.Equal(secret, first.GetProperty("text").GetString());
        await api.PostAsync($"/cases/{id}/journal", new { kind = "HomeVisit", occurredOn = api.Today, durationMinutes = 90, text = "Hausbesuch" }, HttpStatusCode.Created);

        var journal = (await api.GetAsync($"/cases/{id}/journal")).EnumerateArray().ToList();
        Assert.Equal(["HomeVisit", "PhoneCall"], journal.Select(j => j.GetProperty("kind").GetString()));
        Assert.Equal(secret, journal[1].GetProperty("text").GetString());
        Assert.Equal(20, journal[1].GetProperty("durationMinutes").GetInt32());
        await api.GetAsync($"/cases/{id}/journal");
        Assert.Equal(2, await service.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.Action == "journal.read" && a.ResourceId == id.ToString())));

        Assert.DoesNotContain(secret, await DatabaseTextAsync("SELECT ProtectedText FROM JournalEntries"));

        var invalid = await api.PostAsync($"/cases/{id}/journal", new { kind = "Email", occurredOn = api.Today.AddDays(1), durationMinutes = 0, text = "" }, HttpStatusCode.BadRequest);
        var errors = invalid.GetProperty("errors");
        Assert.Equal("Darf nicht in der Zukunft liegen.", errors.GetProperty("occurredOn")[0].GetString());
        Assert.Equal("Zwischen 1 und 1440 Minuten.", errors.GetProperty("durationMinutes")[0].GetString());
        Assert.True(errors.TryGetProperty("text", out _));
        Assert.Equal(2, (await api.GetAsync($"/cases/{id}/journal")).GetArrayLength());
    }

    [Fact]
    public async Task Today_is_the_day_in_Berlin_even_when_the_UTC_calendar_still_shows_yesterday()
    {
        service.Clock.AdvanceToLocalTime(new TimeOnly(0, 30));
        var api = Api("mitternacht-" + Unique());
        Assert.NotEqual(DateOnly.FromDateTime(service.Clock.GetUtcNow().UtcDateTime), api.Today);
        var id = (await api.OpenAsync("Nacht", "Person" + Unique())).GetProperty("id").GetGuid();

        await api.PostAsync($"/cases/{id}/journal", new { kind = "PhoneCall", occurredOn = api.Today, durationMinutes = 10, text = "Krisenanruf nach Mitternacht" }, HttpStatusCode.Created);
        var tomorrow = await api.PostAsync($"/cases/{id}/journal", new { kind = "PhoneCall", occurredOn = api.Today.AddDays(1), durationMinutes = 10, text = "Morgen" }, HttpStatusCode.BadRequest);
        Assert.Equal("Darf nicht in der Zukunft liegen.", tomorrow.GetProperty("errors").GetProperty("occurredOn")[0].GetString());
        Assert.Equal(api.Today.ToString("yyyy-MM-dd"), (await api.GetAsync($"/cases/{id}/journal"))[0].GetProperty("occurredOn").GetString());
    }

    [Fact]
    public async Task Follow_ups_feed_the_due_dates_are_done_once_and_a_handover_takes_the_open_ones_along()
    {
        var anna = "anna-" + Unique();
        var ben = "ben-" + Unique();
        var api = Api(anna);
        var id = (await api.OpenAsync("Termin", "Person" + Unique())).GetProperty("id").GetGuid();

        var call = await api.PostAsync($"/cases/{id}/follow-ups", new { kind = "FollowUp", title = "Bescheid Jobcenter nachfragen", dueOn = api.Today.AddDays(3) }, HttpStatusCode.Created);
        await api.PostAsync($"/cases/{id}/follow-ups", new { kind = "Appointment", title = "Beratungstermin", dueOn = api.Today.AddDays(5), dueTime = "10:30" }, HttpStatusCode.Created);
        await api.PostAsync($"/cases/{id}/follow-ups", new { kind = "Review", title = "Fallbesprechung", dueOn = api.Today.AddDays(60) }, HttpStatusCode.Created);

        var due = (await api.GetAsync("/due-dates?withinDays=14")).GetProperty("items").EnumerateArray().Where(d => d.GetProperty("caseId").GetGuid() == id).ToList();
        Assert.Equal(["FollowUp", "Appointment"], due.Select(d => d.GetProperty("kind").GetString()));
        Assert.Equal("Bescheid Jobcenter nachfragen", due[0].GetProperty("label").GetString());

        var callId = call.GetProperty("id").GetGuid();
        var done = await api.PostAsync($"/cases/{id}/follow-ups/{callId}/done", new { });
        Assert.True(done.GetProperty("done").GetBoolean());
        await api.RefusedAsync(HttpMethod.Post, $"/cases/{id}/follow-ups/{callId}/done", new { }, "follow-up-done");
        Assert.Single((await api.GetAsync("/due-dates?withinDays=14")).GetProperty("items").EnumerateArray(), d => d.GetProperty("caseId").GetGuid() == id);

        await api.PostAsync($"/cases/{id}/handover", new { to = ben });
        var bens = (await Api(ben).GetAsync("/due-dates?withinDays=90")).GetProperty("items").EnumerateArray().Where(d => d.GetProperty("caseId").GetGuid() == id).ToList();
        Assert.Equal(["Appointment", "PlannedReview"], bens.Select(d => d.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task A_review_planned_ahead_is_done_when_it_is_recorded()
    {
        var api = Api("plan-" + Unique());
        var (id, _) = await api.CaseInAsync("Assessment", "Geplant", "Person" + Unique());
        var planned = await api.PostAsync($"/cases/{id}/follow-ups", new { kind = "Review", title = "Fallbesprechung im CM-Team", dueOn = api.Today.AddDays(7) }, HttpStatusCode.Created);
        var plannedId = planned.GetProperty("id").GetGuid();
        var call = await api.PostAsync($"/cases/{id}/follow-ups", new { kind = "FollowUp", title = "Rückruf", dueOn = api.Today }, HttpStatusCode.Created);

        var review = new { kind = "Review", heldOn = api.Today, participants = new[] { "Carrier" }, coordinatorPresent = true, outcome = "Plan bestätigt", followUpId = plannedId };
        var invalid = await api.PostAsync($"/cases/{id}/reviews", review with { followUpId = call.GetProperty("id").GetGuid() }, HttpStatusCode.BadRequest);
        Assert.True(invalid.GetProperty("errors").TryGetProperty("followUpId", out _));

        var recorded = await api.PostAsync($"/cases/{id}/reviews", review);
        var reviewId = Assert.Single(recorded.GetProperty("reviews").EnumerateArray()).GetProperty("id").GetGuid();
        var followUp = (await api.GetAsync($"/cases/{id}/follow-ups")).EnumerateArray().Single(f => f.GetProperty("id").GetGuid() == plannedId);
        Assert.True(followUp.GetProperty("done").GetBoolean());
        Assert.Equal(reviewId, followUp.GetProperty("reviewId").GetGuid());
        await api.RefusedAsync(HttpMethod.Post, $"/cases/{id}/reviews", review, "follow-up-done");
        Assert.Single((await api.GetAsync($"/cases/{id}")).GetProperty("reviews").EnumerateArray());
    }

    [Fact]
    public async Task A_case_manager_sees_only_own_and_deputised_cases_a_handover_moves_responsibility_and_coordinators_see_all()
    {
        var anna = "anna-" + Unique();
        var ben = "ben-" + Unique();
        var cleo = "cleo-" + Unique();
        var familyName = "Vertraulich" + Unique();
        var id = (await Api(anna).OpenAsync("Need", familyName)).GetProperty("id").GetGuid();

        await Api(ben).GetAsync($"/cases/{id}", HttpStatusCode.NotFound);
        await Api(ben).PostAsync($"/cases/{id}/journal", new { kind = "Other", occurredOn = Api(ben).Today, text = "x" }, HttpStatusCode.NotFound);
        Assert.Equal(0, (await Api(ben).PostAsync("/cases/search", new { name = familyName })).GetProperty("total").GetInt32());
        Assert.Equal(1, (await Api("koordination", "coordinator").PostAsync("/cases/search", new { name = familyName })).GetProperty("total").GetInt32());

        // Ben becomes deputy: he reads and works on the case but cannot hand it over.
        var withDeputy = await Api(anna).PutAsync($"/cases/{id}/deputies", new { deputies = new[] { ben } });
        Assert.Equal([ben], withDeputy.GetProperty("deputies").EnumerateArray().Select(d => d.GetString()));
        await Api(ben).GetAsync($"/cases/{id}");
        Assert.Equal(1, (await Api(ben).PostAsync("/cases/search", new { name = familyName, mine = true })).GetProperty("total").GetInt32());
        await Api(ben).RefusedAsync(HttpMethod.Post, $"/cases/{id}/handover", new { to = ben }, "not-responsible");

        // Anna hands over to Cleo: Cleo is responsible, Anna no longer sees the case, Ben stays deputy.
        var handedOver = await Api(anna).PostAsync($"/cases/{id}/handover", new { to = cleo });
        Assert.Equal(cleo, handedOver.GetProperty("assignedTo").GetString());
        await Api(anna).GetAsync($"/cases/{id}", HttpStatusCode.NotFound);
        await Api(cleo).GetAsync($"/cases/{id}");
        await Api(ben).GetAsync($"/cases/{id}");
        var audit = await service.WithDbAsync(db => db.AuditEntries.Where(a => a.ResourceId == id.ToString()).Select(a => new { a.Action, a.User }).ToListAsync());
        Assert.Contains(audit, a => a.Action == "case.handed-over" && a.User == anna);
        Assert.Contains(audit, a => a.Action == "case.deputies-changed" && a.User == anna);

        // A coordinator hands over any case.
        await Api("koordination", "coordinator").PostAsync($"/cases/{id}/handover", new { to = anna });
        await Api(anna).GetAsync($"/cases/{id}");
        await Api(cleo).GetAsync($"/cases/{id}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_colleague_without_need_to_know_gets_404_on_every_route_of_the_case_and_changes_nothing()
    {
        var owner = Api("eigen-" + Unique());
        var (id, _) = await owner.CaseInAsync("Assessment", "Geheim", "Person" + Unique());
        var consentId = (await owner.GetAsync($"/cases/{id}/consents"))[0].GetProperty("id").GetGuid();
        var followUpId = (await owner.PostAsync($"/cases/{id}/follow-ups", new { kind = "FollowUp", title = "Rückruf", dueOn = owner.Today.AddDays(1) }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var before = await owner.GetAsync($"/cases/{id}");
        var outsider = Api("fremd-" + Unique());
        var today = outsider.Today;

        var reads = new[]
        {
            $"/cases/{id}", $"/cases/{id}/journal", $"/cases/{id}/follow-ups", $"/cases/{id}/documents", $"/cases/{id}/client/history",
            $"/cases/{id}/consents", $"/cases/{id}/consents/{consentId}/receipt",
        };
        foreach (var path in reads)
        {
            await outsider.GetAsync(path, HttpStatusCode.NotFound);
        }

        var writes = new (HttpMethod Method, string Path, object Body)[]
        {
            (HttpMethod.Put, $"/cases/{id}/indication", new { targetGroup = true, willingToCooperate = true, communicationPossible = true }),
            (HttpMethod.Post, $"/cases/{id}/advance", new { to = "GoalAgreement" }),
            (HttpMethod.Post, $"/cases/{id}/step-back", new { reason = "zurück" }),
            (HttpMethod.Put, $"/cases/{id}/assessments/Housing", new { situation = "a", resources = "b", needs = "c", clientView = "d" }),
            (HttpMethod.Post, $"/cases/{id}/journal", new { kind = "Other", occurredOn = today, text = "x" }),
            (HttpMethod.Post, $"/cases/{id}/follow-ups", new { kind = "FollowUp", title = "x", dueOn = today }),
            (HttpMethod.Post, $"/cases/{id}/follow-ups/{followUpId}/done", new { }),
            (HttpMethod.Post, $"/cases/{id}/handover", new { to = "fremd" }),
            (HttpMethod.Put, $"/cases/{id}/deputies", new { deputies = new[] { "fremd" } }),
            (HttpMethod.Put, $"/cases/{id}/client", new { client = new { givenName = "X", familyName = "Y", birthDate = "1990-01-01" } }),
            (HttpMethod.Post, $"/cases/{id}/consents", new { purpose = "CaseConference", expiresOn = today.AddYears(1) }),
            (HttpMethod.Post, $"/cases/{id}/consents/{consentId}/withdraw", new { reason = "x" }),
        };
        foreach (var (method, path, body) in writes)
        {
            await outsider.SendAsync(method, path, body, HttpStatusCode.NotFound);
        }

        Assert.DoesNotContain((await outsider.GetAsync("/due-dates?withinDays=30&mine=false")).GetProperty("items").EnumerateArray(), d => d.GetProperty("caseId").GetGuid() == id);
        Assert.DoesNotContain((await outsider.GetAsync("/cases?take=200")).GetProperty("items").EnumerateArray(), c => c.GetProperty("id").GetGuid() == id);
        Assert.Equal(before.GetProperty("version").GetInt64(), (await owner.GetAsync($"/cases/{id}")).GetProperty("version").GetInt64());
        Assert.False((await owner.GetAsync($"/cases/{id}/follow-ups")).EnumerateArray().Single().GetProperty("done").GetBoolean());
        Assert.Empty((await owner.GetAsync($"/cases/{id}/journal")).EnumerateArray());
    }

    [Fact]
    public async Task Client_data_is_corrected_with_its_history_and_search_follows_the_new_name()
    {
        var api = Api("korrektur-" + Unique());
        var unique = Unique();
        var id = (await api.OpenAsync("Jasmin", "Alt" + unique)).GetProperty("id").GetGuid();

        var corrected = await api.PutAsync($"/cases/{id}/client", new
        {
            client = new
            {
                givenName = "Jasmina",
                familyName = "Neu" + unique,
                birthDate = "1991-04-12",
                phone = "+49 2104 99887",
                email = "jasmin@example.org",
                address = "Bahnhofstraße 1, 40822 Mettmann",
                languages = new[] { "ar", "de" },
                residenceStatus = "ResidencePermit",
                arrivalDate = "2023-02-01"
            },
            reason = "Schreibweise laut Pass",
        });
        Assert.Equal("Jasmina", corrected.GetProperty("client").GetProperty("givenName").GetString());

        var history = Assert.Single((await api.GetAsync($"/cases/{id}/client/history")).EnumerateArray());
        Assert.Equal(["givenName", "familyName", "address"], history.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("Jasmin", history.GetProperty("previous").GetProperty("givenName").GetString());
        Assert.Equal("Musterweg 5, 40822 Mettmann", history.GetProperty("previous").GetProperty("address").GetString());
        Assert.Equal("Schreibweise laut Pass", history.GetProperty("reason").GetString());

        // "Jasmin" and "Jasmina" share their prefix hashes: the index keeps those and changes only the rest.
        Assert.Equal(1, (await api.PostAsync("/cases/search", new { name = "Jasmina Neu" + unique })).GetProperty("total").GetInt32());
        Assert.Equal(0, (await api.PostAsync("/cases/search", new { name = "Alt" + unique })).GetProperty("total").GetInt32());
        var audit = await service.WithDbAsync(db => db.AuditEntries.Select(a => a.Action).ToListAsync());
        Assert.Contains("client.corrected", audit);
        Assert.Contains("client.history-read", audit);
        Assert.DoesNotContain("Jasmin", await DatabaseTextAsync("SELECT ProtectedPrevious FROM ClientChanges"));

        var invalid = await api.PutAsync($"/cases/{id}/client", new { client = new { givenName = "", familyName = "X", birthDate = "2999-01-01" } }, HttpStatusCode.BadRequest);
        Assert.True(invalid.GetProperty("errors").TryGetProperty("client.birthDate", out _));
        Assert.Equal("Jasmina", (await api.GetAsync($"/cases/{id}")).GetProperty("client").GetProperty("givenName").GetString());
    }

    [Fact]
    public async Task A_possible_duplicate_at_intake_is_a_warning_that_the_user_confirms()
    {
        var api = Api("dublette-" + Unique());
        var familyName = "Doppelt" + Unique();
        var first = await api.OpenAsync("Zoë", familyName);
        var body = new { client = new { givenName = "ZOE", familyName = " " + familyName.ToLowerInvariant() + " ", birthDate = "1991-04-12" } };

        var warning = await api.PostAsync("/cases", body, HttpStatusCode.Conflict);
        Assert.Equal("urn:kim:problem:precondition:possible-duplicate", warning.GetProperty("type").GetString());
        Assert.Equal([first.GetProperty("id").GetGuid()], warning.GetProperty("visibleCases").EnumerateArray().Select(c => c.GetGuid()));
        Assert.Equal(1, (await api.PostAsync("/cases/search", new { name = familyName })).GetProperty("total").GetInt32());

        // Another case manager is warned too, but does not learn which case it is.
        var other = await Api("andere-" + Unique()).PostAsync("/cases", body, HttpStatusCode.Conflict);
        Assert.Empty(other.GetProperty("visibleCases").EnumerateArray());

        // A different birth date is no duplicate; a confirmation opens the case.
        await api.PostAsync("/cases", new { client = new { givenName = "Zoë", familyName, birthDate = "1992-04-12" } }, HttpStatusCode.Created);
        await api.PostAsync("/cases", new { body.client, confirmDuplicate = true }, HttpStatusCode.Created);
        Assert.Equal(3, (await api.PostAsync("/cases/search", new { name = familyName })).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Search_by_the_beginning_of_a_name_ignores_case_accents_and_transliteration_and_stores_no_name()
    {
        var api = Api("suche-" + Unique());
        var suffix = Unique();
        var id = (await api.OpenAsync("Zoë", $"Müller-Öztürk{suffix}")).GetProperty("id").GetGuid();

        foreach (var term in new[] { "mü", "MUEL", "mul", "Öztürk" + suffix, "oeztuerk", "zo mu", "ZOE OZT" })
        {
            var found = await api.PostAsync("/cases/search", new { name = term, mine = true });
            Assert.True(found.GetProperty("items").EnumerateArray().Any(c => c.GetProperty("id").GetGuid() == id), $"'{term}' should find the case");
        }

        foreach (var term in new[] { "ller", "zo xa", "türk" + suffix })
        {
            var found = await api.PostAsync("/cases/search", new { name = term, mine = true });
            Assert.False(found.GetProperty("items").EnumerateArray().Any(c => c.GetProperty("id").GetGuid() == id), $"'{term}' must not find the case");
        }

        var tooShort = await api.PostAsync("/cases/search", new { name = "m" }, HttpStatusCode.BadRequest);
        Assert.Equal("Geben Sie mindestens zwei Buchstaben eines Namens ein.", tooShort.GetProperty("errors").GetProperty("name")[0].GetString());
        var index = await DatabaseTextAsync("SELECT Hash FROM ClientNameTokens");
        Assert.DoesNotContain("mu", index.Split('\n'));
        Assert.DoesNotContain("muller", index, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Documents_are_typed_by_content_encrypted_at_rest_downloads_audited_and_deleted_with_the_retention()
    {
        var api = Api("dokument-" + Unique());
        var (id, _) = await api.CaseInAsync("Assessment", "Dokument", "Person" + Unique());
        var consentId = (await api.GetAsync($"/cases/{id}/consents"))[0].GetProperty("id").GetGuid();
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.Concat(Encoding.ASCII.GetBytes("IHDR-Geheimes-Bild-" + Unique())).ToArray();

        // A PNG named .pdf is a PNG; the name is kept encrypted.
        var uploaded = await UploadAsync(api, id, png, "Pass Haddad.pdf", consentId, HttpStatusCode.Created);
        Assert.Equal("image/png", uploaded.GetProperty("contentType").GetString());
        Assert.Equal(consentId, uploaded.GetProperty("consentId").GetGuid());
        Assert.Equal("Pass Haddad.pdf", uploaded.GetProperty("fileName").GetString());

        // A text file named .pdf, an empty file and one over the limit are refused.
        var text = await UploadAsync(api, id, Encoding.UTF8.GetBytes("nur Text"), "Bescheid.pdf", null, HttpStatusCode.BadRequest);
        Assert.Equal("Nur PDF-, JPEG- oder PNG-Dateien; der Inhalt dieser Datei ist keins davon.", text.GetProperty("errors").GetProperty("file")[0].GetString());
        await UploadAsync(api, id, [], "leer.pdf", null, HttpStatusCode.BadRequest);
        var large = new byte[(10 * 1024 * 1024) + 1];
        "%PDF-"u8.CopyTo(large);
        Assert.Equal("Höchstens 10 MB.", (await UploadAsync(api, id, large, "gross.pdf", null, HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("file")[0].GetString());
        await UploadAsync(api, id, png, "fremd.png", Guid.NewGuid(), HttpStatusCode.BadRequest);
        Assert.Single((await api.GetAsync($"/cases/{id}/documents")).EnumerateArray());

        var documentId = uploaded.GetProperty("id").GetGuid();
        using (var download = await api.Http.GetAsync($"{api.Base}/cases/{id}/documents/{documentId}/content"))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("image/png", download.Content.Headers.ContentType!.MediaType);
            Assert.Equal(png, await download.Content.ReadAsByteArrayAsync());
        }

        Assert.Equal(1, await service.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.Action == "document.downloaded" && a.ResourceId == documentId.ToString())));
        await Api("fremd-" + Unique()).GetAsync($"/cases/{id}/documents/{documentId}/content", HttpStatusCode.NotFound);
        var raw = await service.WithDbAsync(db => db.DocumentContents.Where(c => c.DocumentId == documentId).Select(c => c.Ciphertext).SingleAsync());
        Assert.False(raw.AsSpan().IndexOf(png.AsSpan(8)) >= 0, "the content must be encrypted at rest");

        // After closure and the retention period the file is gone, and so are the texts of the day's work.
        await api.PostAsync($"/cases/{id}/journal", new { kind = "Counselling", occurredOn = api.Today, text = "Gespräch über den Pass" }, HttpStatusCode.Created);
        await api.PostAsync($"/cases/{id}/follow-ups", new { kind = "FollowUp", title = "Pass abholen", dueOn = api.Today }, HttpStatusCode.Created);
        var current = (await api.GetAsync($"/cases/{id}")).GetProperty("client");
        await api.PutAsync($"/cases/{id}/client", new { client = new { givenName = "Dokumenta", familyName = current.GetProperty("familyName").GetString(), birthDate = "1991-04-12" }, reason = "Schreibweise" });
        await api.PostAsync($"/cases/{id}/step-back", new { reason = "Assessment neu" });
        await service.WithDbAsync(async db =>
        {
            var found = await db.Cases.SingleAsync(c => c.Id == id);
            found.Status = Cases.CaseStatus.Closed;
            found.ClosedAt = service.Clock.GetUtcNow().UtcDateTime.AddDays(-800);
            await db.SaveChangesAsync();
            return 0;
        });
        await service.Services.GetRequiredService<RetentionJob>().RunOnceAsync(CancellationToken.None);
        var listed = Assert.Single((await api.GetAsync($"/cases/{id}/documents")).EnumerateArray());
        Assert.True(listed.GetProperty("deleted").GetBoolean());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("fileName").ValueKind);
        await api.GetAsync($"/cases/{id}/documents/{documentId}/content", HttpStatusCode.NotFound);
        Assert.Equal(0, await service.WithDbAsync(db => db.DocumentContents.CountAsync(c => c.DocumentId == documentId)));
        Assert.All(await service.WithDbAsync(db => db.Journal.Where(j => j.CaseId == id).Select(j => j.ProtectedText).ToListAsync()), Assert.Null);
        Assert.All(await service.WithDbAsync(db => db.FollowUps.Where(f => f.CaseId == id).Select(f => f.Title).ToListAsync()), Assert.Null);
        Assert.All(await service.WithDbAsync(db => db.ClientChanges.Where(c => c.CaseId == id).Select(c => c.ProtectedPrevious).ToListAsync()), Assert.Null);
        Assert.All(await service.WithDbAsync(db => db.PhaseChanges.Where(h => h.CaseId == id).Select(h => h.Reason).ToListAsync()), Assert.Null);
        Assert.All(await service.WithDbAsync(db => db.Consents.Where(c => c.CaseId == id).Select(c => c.EvidenceReference).ToListAsync()), Assert.Null);
        Assert.Equal(0, await service.WithDbAsync(db => db.ClientNameTokens.CountAsync(t => db.Cases.Any(c => c.Id == id && c.ClientId == t.ClientId))));
    }

    private static async Task<JsonElement> UploadAsync(CaseApiClient api, Guid caseId, byte[] content, string fileName, Guid? consentId, HttpStatusCode expected)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", fileName);
        if (consentId is { } consent)
        {
            form.Add(new StringContent(consent.ToString()), "consentId");
        }

        using var response = await api.Http.PostAsync($"{api.Base}/cases/{caseId}/documents", form);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<string> DatabaseTextAsync(string sql)
    {
        var connectionString = await service.WithDbAsync(db => Task.FromResult(db.Database.GetConnectionString()!));
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = sql;
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.IsDBNull(0) ? "" : reader.GetString(0));
        }

        return string.Join('\n', values);
    }

    private static string Unique() => Guid.NewGuid().ToString("N")[..8];
}
