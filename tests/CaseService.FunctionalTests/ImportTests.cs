using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kim.CaseService.Cases;
using Kim.Contracts;
using Kim.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kim.CaseService.FunctionalTests;

/// <summary>
/// The historical import (Datenübernahme): CSV files of cases and referrals are taken over with their original
/// dates and publish the live API's events at those times, as a whole or not at all, by operator or carrier-admin only.
/// </summary>
[Collection(CaseServiceCollection.Name)]
public sealed class ImportTests(CaseServiceFixture service)
{
    private const string CasesHeader =
        "Fallnummer;Vorname;Nachname;Geburtsdatum;Aufenthaltsstatus;Sprachen;Zugangsweg;Fallverantwortung;Eröffnet am;Einwilligung am;"
        + "Einwilligung gültig bis;Assessment seit;Zielvereinbarung seit;Hilfeplanung seit;Leistungssteuerung seit;Monitoring seit;Abgeschlossen am;Abschlussgrund";

    private const string ReferralsHeader =
        "Fallnummer;Maßnahme;Lebensbereich;Rechtskreis;Leistungserbringer-ID;Dienstleistungskette-ID;Kettenversion;Kettenschritt;Zieltage;"
        + "Vermittelt am;Angenommen am;Begonnen am;Abgeschlossen am;Abgelehnt am;Abgebrochen am;Erfolgreich;Misserfolgsgrund;Grund";

    private static readonly TimeZoneInfo Berlin = LocalDay.Zone;

    /// <summary>A day some months ago, as the file writes it (German format).</summary>
    private static DateOnly Day(int daysAgo) => LocalDay.Of(DateTime.UtcNow).AddDays(-daysAgo);

    private static string German(DateOnly day) => day.ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture);

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A date alone is noon German time, in UTC.</summary>
    private static DateTime Noon(DateOnly day) => TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(new TimeOnly(12, 0)), Berlin);

    private static string Reference() => "ALT-" + Guid.NewGuid().ToString("N")[..10];

    private HttpClient Importer(string role = KimRoles.Operator, string tenant = CaseServiceFixture.Tenant) =>
        service.ClientFor(tenant, role, "importer-1");

    private static Task<HttpResponseMessage> PostCsvAsync(HttpClient client, string kind, string csv, bool bom = false)
    {
        var bytes = (bom ? Encoding.UTF8.GetPreamble() : []).Concat(Encoding.UTF8.GetBytes(csv)).ToArray();
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };
        return client.PostAsync($"/api/tenants/{CaseServiceFixture.Tenant}/imports/{kind}", content);
    }

    private async Task<List<(string Type, JsonElement Payload, DateTime CreatedAt)>> EventsOfAsync(string caseKey) =>
        [.. (await service.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.Payload.Contains(caseKey)).ToListAsync()))
            .OrderBy(m => m.CreatedAt)
            .Select(m => (m.MessageType[(m.MessageType.LastIndexOf('.') + 1)..], JsonSerializer.Deserialize<JsonElement>(m.Payload), m.CreatedAt))];

    private static DateTime OccurredAt(JsonElement payload) => payload.GetProperty("occurredAt").GetDateTimeOffset().UtcDateTime;

    [Fact]
    public async Task A_valid_cases_file_creates_the_cases_with_their_original_dates_and_publishes_their_events_at_those_times()
    {
        var closedRef = Reference();
        var openRef = Reference();
        var csv = CasesHeader + "\r\n"
            + $"{closedRef};Leyla;Importiert;12.04.1991;ResidencePermit;ar,de;SelfReferral;cm-anna;{German(Day(300))} 09:15;{German(Day(300))} 09:30;;"
            + $"{German(Day(290))};{German(Day(280))};{Iso(Day(270))};{German(Day(260))};{German(Day(200))};{German(Day(20))};Ziele erreicht\r\n"
            + $"{openRef};\"Omar; Said\";Importiert;1985-01-30;;;;cm-ben;{German(Day(10))};;;;;;;;;\r\n";

        var response = await PostCsvAsync(Importer(), "cases", csv, bom: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, result.GetProperty("cases").GetInt32());
        Assert.Equal(1 + 5 + 1 + 1 + 1, result.GetProperty("events").GetInt32());

        var opened = TimeZoneInfo.ConvertTimeToUtc(Day(300).ToDateTime(new TimeOnly(9, 15)), Berlin);
        var closed = await service.WithDbAsync(db => db.Cases.AsNoTracking().Include(c => c.History).Include(c => c.Consents).Include(c => c.Client)
            .SingleAsync(c => c.ImportReference == closedRef));
        Assert.Equal(opened, closed.OpenedAt);
        Assert.Equal(Noon(Day(20)), closed.ClosedAt);
        Assert.Equal(CaseStatus.Closed, closed.Status);
        Assert.Equal(CasePhase.Closure, closed.Phase);
        Assert.Equal("cm-anna", closed.AssignedTo);
        Assert.Equal("Ziele erreicht", closed.ClosureReason);
        Assert.Equal(
            [Noon(Day(290)), Noon(Day(280)), Noon(Day(270)), Noon(Day(260)), Noon(Day(200)), Noon(Day(20))],
            closed.History.OrderBy(h => h.At).Select(h => h.At).ToArray());
        var consent = Assert.Single(closed.Consents);
        Assert.Equal(ConsentPurpose.CaseManagement, consent.Purpose);
        Assert.Equal(Consents.ConsentStatus.Given, consent.Status);
        Assert.Equal(TimeZoneInfo.ConvertTimeToUtc(Day(300).ToDateTime(new TimeOnly(9, 30)), Berlin), consent.GivenAt);
        Assert.Equal(Day(300).AddYears(2), consent.ExpiresOn);
        Assert.NotNull(closed.Indication);
        Assert.Null(closed.Client.ArrivalDate);
        Assert.Equal(["ar", "de"], closed.Client.Languages);

        var events = await EventsOfAsync(closed.CaseKey);
        Assert.Equal(["CaseOpened", "CasePhaseChanged", "CasePhaseChanged", "CasePhaseChanged", "CasePhaseChanged", "CasePhaseChanged", "CasePhaseChanged", "CaseClosed"],
            events.Select(e => e.Type).ToArray());
        Assert.Equal([opened, Noon(Day(290)), Noon(Day(280)), Noon(Day(270)), Noon(Day(260)), Noon(Day(200)), Noon(Day(20)), Noon(Day(20))],
            events.Select(e => OccurredAt(e.Payload)).ToArray());
        Assert.Equal(["Assessment", "GoalAgreement", "ServicePlanning", "ServiceSteering", "Monitoring", "Closure"],
            events.Where(e => e.Type == "CasePhaseChanged").Select(e => e.Payload.GetProperty("to").GetString()!).ToArray());
        Assert.Equal("SelfReferral", events[0].Payload.GetProperty("accessRoute").GetString());
        Assert.Equal(280, events[^1].Payload.GetProperty("durationDays").GetInt32());

        var open = await service.WithDbAsync(db => db.Cases.AsNoTracking().Include(c => c.Client).SingleAsync(c => c.ImportReference == openRef));
        Assert.Equal(CasePhase.Intake, open.Phase);
        Assert.Equal(CaseStatus.Open, open.Status);
        Assert.Equal(Noon(Day(10)), open.OpenedAt);
        var identity = service.Services.GetRequiredService<Protection.IdentityProtector>().Unprotect(open.ClientId, open.Client.ProtectedIdentity!);
        Assert.Equal("Omar; Said", identity.GivenName);
        Assert.Equal(new DateOnly(1985, 1, 30), identity.BirthDate);
        Assert.Equal(["CaseOpened"], (await EventsOfAsync(open.CaseKey)).Select(e => e.Type).ToArray());

        // One audit entry for the file: who and how many, and the file's hash; no name.
        var fileEntry = await service.WithDbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == "import.cases"
            && a.ResourceId.StartsWith("sha256:" + result.GetProperty("fileHash").GetString()!.Substring(0, 40))));
        Assert.Equal("importer-1", fileEntry.User);
        Assert.Contains("rows=2", fileEntry.ResourceId, StringComparison.Ordinal);
        Assert.DoesNotContain("Importiert", fileEntry.ResourceId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_valid_referrals_file_with_chain_steps_creates_referrals_and_publishes_their_status_changes_at_the_original_times()
    {
        var reference = Reference();
        var cases = CasesHeader + "\n"
            + $"{reference};Samir;Kette;03.03.1990;;;;cm-anna;{German(Day(200))};{German(Day(200))};;"
            + $"{German(Day(195))};{German(Day(190))};{German(Day(185))};{German(Day(180))};{German(Day(100))};;\n";
        Assert.Equal(HttpStatusCode.OK, (await PostCsvAsync(Importer(), "cases", cases)).StatusCode);

        var referrals = ReferralsHeader + "\n"
            + $"{reference};;;;{CaseServiceFixture.LanguageSchool};{CaseServiceFixture.WorkChain};1;1;;"
            + $"{German(Day(179))};{German(Day(175))};{German(Day(170))};{German(Day(120))};;;ja;;\n"
            + $"{reference};Wohnungssuche;Housing;SgbII;{CaseServiceFixture.Jobcenter};;;;20;{German(Day(178))};;;;{German(Day(176))};;;;Keine Kapazität\n";
        var response = await PostCsvAsync(Importer(KimRoles.CarrierAdmin), "referrals", referrals);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, result.GetProperty("referrals").GetInt32());
        Assert.Equal(1 + 3 + 1 + 1, result.GetProperty("events").GetInt32());

        var imported = await service.WithDbAsync(db => db.Cases.AsNoTracking().Include(c => c.Referrals).Include(c => c.PlanItems)
            .SingleAsync(c => c.ImportReference == reference));
        var chained = imported.Referrals.Single(r => r.ProviderOrganisationId == CaseServiceFixture.LanguageSchool);
        Assert.Equal(ReferralStatus.Completed, chained.Status);
        Assert.Equal(Noon(Day(179)), chained.IssuedAt);
        Assert.Equal(Noon(Day(175)), chained.AcceptedAt);
        Assert.Equal(Noon(Day(170)), chained.StartedAt);
        Assert.Equal(Noon(Day(120)), chained.CompletedAt);
        Assert.True(chained.Successful);
        Assert.Equal(14, chained.TargetDays);
        Assert.Equal(LegalDomain.SgbIII, chained.LegalDomain);
        var chainItem = imported.PlanItems.Single(p => p.Id == chained.PlanItemId);
        Assert.Equal("Beratung zur Anerkennung", chainItem.Title);
        Assert.Equal(1, chainItem.ChainStepOrder);
        var rejected = imported.Referrals.Single(r => r.ProviderOrganisationId == CaseServiceFixture.Jobcenter);
        Assert.Equal(ReferralStatus.Rejected, rejected.Status);
        Assert.Equal(Noon(Day(176)), rejected.RejectedAt);
        Assert.Equal("Keine Kapazität", rejected.Reason);
        Assert.Equal("Wohnungssuche", imported.PlanItems.Single(p => p.Id == rejected.PlanItemId).Title);
        Assert.Equal(2, imported.Version);

        var referralEvents = (await EventsOfAsync(imported.CaseKey)).Where(e => e.Type.StartsWith("Referral", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [("ReferralIssued", Noon(Day(179))), ("ReferralIssued", Noon(Day(178))), ("ReferralStatusChanged", Noon(Day(176))),
             ("ReferralStatusChanged", Noon(Day(175))), ("ReferralStatusChanged", Noon(Day(170))), ("ReferralStatusChanged", Noon(Day(120)))],
            referralEvents.Select(e => (e.Type, OccurredAt(e.Payload))).ToArray());
        var issued = referralEvents[0].Payload;
        Assert.Equal(CaseServiceFixture.WorkChain, issued.GetProperty("serviceChainId").GetGuid());
        Assert.Equal(1, issued.GetProperty("chainStepOrder").GetInt32());
        Assert.Equal(["Rejected", "Accepted", "Started", "Completed"],
            referralEvents.Where(e => e.Type == "ReferralStatusChanged").Select(e => e.Payload.GetProperty("status").GetString()!).ToArray());
        Assert.True(referralEvents[^1].Payload.GetProperty("successful").GetBoolean());
    }

    [Fact]
    public async Task A_file_with_one_bad_row_among_good_ones_is_refused_with_every_error_in_german_and_nothing_is_written()
    {
        var good = Reference();
        var bad = Reference();
        var late = Reference();
        var csv = CasesHeader + "\n"
            + $"{good};Ana;Gut;01.01.1980;;;;cm-anna;{German(Day(50))};;;;;;;;;\n"
            + $"{bad};Ben;Schlecht;31.02.1980;;;;cm-anna;{German(Day(50))};;;;;;;;;\n"
            + $"{late};Cem;Spät;01.01.1981;;;;cm-anna;{German(Day(50))};{German(Day(49))};;{German(Day(40))};{German(Day(45))};;;;;\n";
        var (cases, outbox, audit) = await service.WithDbAsync(async db => (await db.Cases.CountAsync(), await db.OutboxMessages.CountAsync(), await db.AuditEntries.CountAsync()));

        var response = await PostCsvAsync(Importer(), "cases", csv);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Datei nicht übernommen", problem.GetProperty("title").GetString());
        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("column").GetString(), e.GetProperty("message").GetString()!)).ToList();
        Assert.Contains(errors, e => e.Item1 == 3 && e.Item2 == "Geburtsdatum" && e.Item3.Contains("kein Datum", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Item1 == 4 && e.Item2 == "Zielvereinbarung seit" && e.Item3.Contains("Phase", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Item1 == 2);
        Assert.Contains("Zeile 3, Spalte „Geburtsdatum“", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("es wurde nichts übernommen", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Equal((cases, outbox, audit),
            await service.WithDbAsync(async db => (await db.Cases.CountAsync(), await db.OutboxMessages.CountAsync(), await db.AuditEntries.CountAsync())));
        Assert.False(await service.WithDbAsync(db => db.Cases.AnyAsync(c => c.ImportReference == good)));
    }

    [Fact]
    public async Task A_referrals_file_with_an_impossible_status_path_or_an_unknown_case_is_refused()
    {
        var reference = Reference();
        var cases = CasesHeader + "\n"
            + $"{reference};Dana;Pfad;03.03.1990;;;;cm-anna;{German(Day(90))};{German(Day(90))};;"
            + $"{German(Day(89))};{German(Day(88))};{German(Day(87))};{German(Day(86))};;;\n";
        Assert.Equal(HttpStatusCode.OK, (await PostCsvAsync(Importer(), "cases", cases)).StatusCode);
        var referrals = ReferralsHeader + "\n"
            + $"{reference};;Housing;SgbII;{CaseServiceFixture.Jobcenter};;;;20;{German(Day(85))};;{German(Day(80))};;;;;;\n"
            + $"UNBEKANNT-1;;Housing;SgbII;{CaseServiceFixture.Jobcenter};;;;20;{German(Day(85))};;;;;;;;\n"
            + $"{reference};;Housing;SgbII;{CaseServiceFixture.Jobcenter};;;;20;{German(Day(87))};;;;;;;;\n";

        var response = await PostCsvAsync(Importer(), "referrals", referrals);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("column").GetString())).ToList();
        Assert.Contains((2, "Begonnen am"), errors);
        Assert.Contains((3, "Fallnummer"), errors);
        Assert.Contains((4, "Vermittelt am"), errors);
        Assert.False(await service.WithDbAsync(db => db.Referrals.AnyAsync(r => db.Cases.Any(c => c.Id == r.CaseId && c.ImportReference == reference))));
    }

    [Fact]
    public async Task A_fallnummer_already_taken_over_or_twice_in_the_file_is_refused()
    {
        var reference = Reference();
        var row = $"{reference};Eva;Doppelt;01.01.1980;;;;cm-anna;{German(Day(30))};;;;;;;;;\n";
        Assert.Equal(HttpStatusCode.OK, (await PostCsvAsync(Importer(), "cases", CasesHeader + "\n" + row)).StatusCode);

        var again = await PostCsvAsync(Importer(), "cases", CasesHeader + "\n" + row);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        var error = Assert.Single((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray());
        Assert.Equal(2, error.GetProperty("row").GetInt32());
        Assert.Equal("Fallnummer", error.GetProperty("column").GetString());
        Assert.Contains("bereits übernommen", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        var other = Reference();
        var twice = CasesHeader + "\n" + row.Replace(reference, other, StringComparison.Ordinal) + row.Replace(reference, other, StringComparison.Ordinal);
        var inFile = await PostCsvAsync(Importer(), "cases", twice);
        Assert.Equal(HttpStatusCode.BadRequest, inFile.StatusCode);
        Assert.Contains("Zeile 2", (await inFile.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await service.WithDbAsync(db => db.Cases.CountAsync(c => c.ImportReference == reference)));
        Assert.False(await service.WithDbAsync(db => db.Cases.AnyAsync(c => c.ImportReference == other)));
    }

    [Theory]
    [InlineData(KimRoles.CaseManager)]
    [InlineData(KimRoles.Coordinator)]
    [InlineData(KimRoles.DataProtectionOfficer)]
    public async Task Other_roles_of_the_tenant_may_not_import(string role)
    {
        var reference = Reference();
        var csv = CasesHeader + "\n" + $"{reference};Fay;Verboten;01.01.1980;;;;cm-anna;{German(Day(30))};;;;;;;;;\n";

        var response = await PostCsvAsync(Importer(role), "cases", csv);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(await service.WithDbAsync(db => db.Cases.AnyAsync(c => c.ImportReference == reference)));
    }

    [Theory]
    [InlineData(KimRoles.Operator)]
    [InlineData(KimRoles.CarrierAdmin)]
    public async Task An_importer_of_another_tenant_is_refused(string role)
    {
        var reference = Reference();
        var csv = CasesHeader + "\n" + $"{reference};Gul;Fremd;01.01.1980;;;;cm-anna;{German(Day(30))};;;;;;;;;\n";

        var response = await PostCsvAsync(Importer(role, tenant: CaseServiceFixture.CoordinatingTenant), "cases", csv);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("urn:kim:problem:tenant-mismatch", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        Assert.False(await service.WithDbAsync(db => db.Cases.AnyAsync(c => c.ImportReference == reference)));
    }

    [Fact]
    public async Task A_file_beyond_the_row_or_byte_limit_is_refused_and_nothing_is_written()
    {
        var reference = Reference();
        var rows = Enumerable.Range(1, 2001).Select(i => $"{reference}-{i};Hana;Viele;01.01.1980;;;;cm-anna;{German(Day(30))};;;;;;;;;");
        var tooManyRows = await PostCsvAsync(Importer(), "cases", CasesHeader + "\n" + string.Join("\n", rows) + "\n");

        Assert.Equal(HttpStatusCode.BadRequest, tooManyRows.StatusCode);
        var error = Assert.Single((await tooManyRows.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray());
        Assert.Equal(2002, error.GetProperty("row").GetInt32());
        Assert.Contains("höchstens 2000 Datenzeilen", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(await service.WithDbAsync(db => db.Cases.AnyAsync(c => c.ImportReference!.StartsWith(reference))));

        var tooLarge = await PostCsvAsync(Importer(), "cases", CasesHeader + "\n" + new string('x', 1024 * 1024));
        Assert.True(tooLarge.StatusCode == HttpStatusCode.RequestEntityTooLarge, await tooLarge.Content.ReadAsStringAsync());
        Assert.Equal("Datei zu groß", (await tooLarge.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_body_that_is_no_csv_file_is_refused_in_german()
    {
        var response = await Importer().PostAsJsonAsync($"/api/tenants/{CaseServiceFixture.Tenant}/imports/cases", new { });

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("urn:kim:problem:unsupported-media-type", problem.GetProperty("type").GetString());
        Assert.Equal("Falsches Dateiformat", problem.GetProperty("title").GetString());

        var unknownColumn = await PostCsvAsync(Importer(), "cases", CasesHeader + ";Telefon\nX;Y;Z;01.01.1980;;;;cm;01.01.2024;;;;;;;;;;0211\n");
        Assert.Equal(HttpStatusCode.BadRequest, unknownColumn.StatusCode);
        Assert.Contains("Unbekannte Spalte „Telefon“", (await unknownColumn.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }
}
