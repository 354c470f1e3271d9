using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kim.Contracts;
using Kim.ServiceDefaults.Security;
using Kim.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Kim.WebApp.Tests;

/// <summary>
/// The steering group (Lenkungsgruppe) in a real browser, on the steering group of the run (<see cref="SteeringGroup"/>: its
/// members and first rules of procedure set up once through the APIs, whichever test class runs first): a person who already
/// deputises refused as a member, a carrier's coordinator refused, a meeting held with quorum and minutes, a motion adopted with a deputy's vote, a circular resolution voted
/// in and objected to by members from their own sign-in, the resolution register with its implementation status and
/// CSV download, minutes edited as a versioned draft and approved by a later meeting, and a membership ended into the
/// history; axe-core on each. Expected counts come from the shared set-up, never from a fresh state.
/// </summary>
[Collection(WebCollection.Name)]
public sealed partial class SteeringTests(WebFixture web, ITestOutputHelper output)
{
    private const string Chair = SteeringGroup.Chair;
    private const string Deputy = SteeringGroup.Deputy;
    private const string CaritasMember = SteeringGroup.CaritasMember;
    private const string RulesMotion = SteeringGroup.RulesMotion;

    /// <summary>A member without voting right added through the form (the third seeded steering-group person of the office).</summary>
    private const string AdvisoryMember = "Lea Brandt";
    private static readonly TimeZoneInfo Berlin = LocalDay.Zone;

    [Fact]
    public async Task A_meeting_is_planned_held_with_quorum_and_its_minutes_recorded()
    {
        var checkedBefore = web.Checked.Count;
        var violations = new List<string>();
        var voting = await (await web.SteeringGroupAsync()).VotingMembersNowAsync();
        var page = await web.SignInWithSecondFactorAsync("coordinator@kommune");

        await page.GotoAsync("/lenkungsgruppe/sitzungen");
        violations.AddRange(await web.CheckAsync(page, "Sitzungen"));
        await page.GetByLabel("Titel der Sitzung", new() { Exact = true }).FillAsync("Sitzung Quartal 1");
        await page.GetByLabel("Datum", new() { Exact = true }).FillAsync(Day(0));
        await page.GetByLabel("Weitere Tagesordnungspunkte").FillAsync("Bericht der Koordination\nTermine");

        // A time of day that does not exist is refused at the time field, in German; what was typed stays.
        var time = page.GetByLabel("Uhrzeit");
        await time.FillAsync("25:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sitzung planen" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        Assert.Equal("true", await time.GetAttributeAsync("aria-invalid"));
        Assert.Equal("25:00", await time.InputValueAsync());
        Assert.Contains("Keine gültige Uhrzeit", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Null(await page.GetByLabel("Datum", new() { Exact = true }).GetAttributeAsync("aria-invalid"));
        Assert.Equal("Sitzung Quartal 1", await page.GetByLabel("Titel der Sitzung", new() { Exact = true }).InputValueAsync());
        violations.AddRange(await web.CheckAsync(page, "Sitzungen: Uhrzeit verweigert"));

        await time.FillAsync("00:05");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sitzung planen" }).ClickAsync();
        await page.WaitForURLAsync(MeetingAddress());
        var agenda = await page.Locator(".kim-agenda").InnerTextAsync();
        Assert.Contains("Sonstiges: Bericht der Koordination", agenda, StringComparison.Ordinal);
        Assert.Contains("Sonstiges: Termine", agenda, StringComparison.Ordinal);

        // The invitation with the agenda: the members of this group have no e-mail address recorded, so they are named.
        await page.GetByRole(AriaRole.Button, new() { Name = "Einladung versenden" }).ClickAsync();
        var invited = await page.Locator("#einladung-ergebnis").InnerTextAsync();
        Assert.Contains("versandt.", invited, StringComparison.Ordinal);
        Assert.Contains("Ohne E-Mail-Adresse:", invited, StringComparison.Ordinal);
        Assert.Contains(Chair, invited, StringComparison.Ordinal);
        violations.AddRange(await web.CheckAsync(page, "Sitzung: Einladung versandt"));

        // Attendance with one member left out: refused at that member's fieldset, the other choices kept.
        await Attendance(page, Chair).GetByLabel("anwesend", new() { Exact = true }).CheckAsync();
        await OthersPresentAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anwesenheit speichern" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        Assert.Contains("Pflichtangabe", await Attendance(page, CaritasMember).Locator(".kern-error").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("true", await Attendance(page, CaritasMember).GetByLabel("abwesend", new() { Exact = true }).GetAttributeAsync("aria-invalid"));
        Assert.Null(await Attendance(page, Chair).GetByLabel("abwesend", new() { Exact = true }).GetAttributeAsync("aria-invalid"));
        Assert.True(await Attendance(page, Chair).GetByLabel("anwesend", new() { Exact = true }).IsCheckedAsync());
        violations.AddRange(await web.CheckAsync(page, "Sitzung: Anwesenheit verweigert"));

        await Attendance(page, CaritasMember).GetByLabel("abwesend", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Anwesenheit speichern" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        var quorum = await page.Locator("#beschlussfaehigkeit").InnerTextAsync();
        Assert.Contains("Nach der erfassten Anwesenheit beschlussfähig", quorum, StringComparison.Ordinal);
        Assert.Contains($"1 von {voting} stimmberechtigten Mitgliedern", quorum, StringComparison.Ordinal);
        violations.AddRange(await web.CheckAsync(page, "Sitzung geplant, Anwesenheit erfasst"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Sitzung als abgehalten erfassen" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        Assert.Contains("abgehalten", await page.Locator("dl").First.InnerTextAsync(), StringComparison.Ordinal);
        quorum = await page.Locator("#beschlussfaehigkeit").InnerTextAsync();
        Assert.StartsWith("Beschlussfähig", quorum.Trim(), StringComparison.Ordinal);
        Assert.Contains($"1 von {voting} stimmberechtigten Mitgliedern", quorum, StringComparison.Ordinal);
        Assert.Contains("Noch kein Protokoll.", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);

        await page.GetByLabel("Protokoll erfassen oder ändern").FillAsync("Bericht der Koordination zur Kenntnis genommen.\nNächste Sitzung im April.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Protokoll speichern" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        if (await page.Locator("#protokoll").CountAsync() == 0)
        {
            await web.ShowAsync(page, output);
        }

        Assert.Contains("Bericht der Koordination zur Kenntnis genommen.", await page.Locator("#protokoll").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains(Chair, await page.GetByRole(AriaRole.Table, new() { Name = "Anwesenheit" }).InnerTextAsync(), StringComparison.Ordinal);
        violations.AddRange(await web.CheckAsync(page, "Sitzung abgehalten, Protokoll"));
        await web.ScreenshotAsync(page, "lenkungsgruppe-sitzung");

        await page.GotoAsync("/lenkungsgruppe/sitzungen");
        Assert.Contains("Sitzung Quartal 1", await page.Locator("table").InnerTextAsync(), StringComparison.Ordinal);
        web.ReportAccessibility(output, "steering group: meeting", checkedBefore, 6, violations);
    }

    [Fact]
    public async Task A_motion_is_adopted_in_a_meeting_with_the_vote_of_an_absent_members_deputy()
    {
        var checkedBefore = web.Checked.Count;
        var violations = new List<string>();
        var voting = await (await web.SteeringGroupAsync()).VotingMembersNowAsync();
        var page = await web.SignInWithSecondFactorAsync("coordinator@kommune");

        await page.GotoAsync("/lenkungsgruppe/antraege");
        violations.AddRange(await web.CheckAsync(page, "Anträge"));
        await TableMotionAsync(page, "Fortbildung interkulturelle Öffnung", "Alle Träger schicken je eine Fachkraft zur Fortbildung.");
        var motion = page.Url;

        await PlanMeetingAsync(page, "Sitzung mit Stellvertretung", Day(0), "Fortbildung interkulturelle Öffnung");
        await Attendance(page, Chair).GetByLabel($"vertreten durch {Deputy}", new() { Exact = true }).CheckAsync();
        await Attendance(page, CaritasMember).GetByLabel("anwesend", new() { Exact = true }).CheckAsync();
        await OthersPresentAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anwesenheit speichern" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        Assert.Contains($"2 von {voting} stimmberechtigten Mitgliedern", await page.Locator("#beschlussfaehigkeit").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sitzung als abgehalten erfassen" }).ClickAsync();
        await page.WaitForLoadStateAsync();

        await page.GotoAsync(motion);
        var deputyVote = page.GetByRole(AriaRole.Group, new() { Name = $"Stimme für {Chair} (Jobcenter Kreis), abgegeben durch die Stellvertretung {Deputy}" });
        Assert.Equal(1, await deputyVote.CountAsync());
        violations.AddRange(await web.CheckAsync(page, "Antrag: Abstimmung in der Sitzung"));
        await deputyVote.GetByLabel("Ja", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Group, new() { Name = $"Stimme von {CaritasMember} (Caritas Beratungsdienst)" }).GetByLabel("Enthaltung", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Abstimmung speichern" }).ClickAsync();
        await page.WaitForLoadStateAsync();

        var result = await page.Locator("#ergebnis").InnerTextAsync();
        Assert.Matches(RegisterNumber(), result);
        Assert.Contains("Angenommen: Beschluss", result, StringComparison.Ordinal);
        Assert.Contains("1 Ja, 0 Nein, 1 Enthaltungen", result, StringComparison.Ordinal);
        var votes = await page.GetByRole(AriaRole.Table, new() { Name = "Abgegebene Stimmen" }).InnerTextAsync();
        Assert.Contains($"Stellvertretung ({Deputy})", votes, StringComparison.Ordinal);
        violations.AddRange(await web.CheckAsync(page, "Antrag angenommen"));
        await web.ScreenshotAsync(page, "lenkungsgruppe-abstimmung");
        web.ReportAccessibility(output, "steering group: motion with a deputy's vote", checkedBefore, 3, violations);
    }

    [Fact]
    public async Task Members_vote_in_a_circular_resolution_from_their_own_sign_in_and_an_objection_moves_it_to_the_next_meeting()
    {
        var checkedBefore = web.Checked.Count;
        var violations = new List<string>();
        var voting = await (await web.SteeringGroupAsync()).VotingMembersNowAsync();
        var page = await web.SignInWithSecondFactorAsync("coordinator@kommune");

        // A meeting ahead, so that an objected motion has a next meeting to go to (another may come earlier).
        await PlanMeetingAsync(page, "Sitzung im Folgemonat", Day(20));

        await page.GotoAsync("/lenkungsgruppe/antraege");
        await TableMotionAsync(page, "Leitfaden Erstgespräch", "Der Leitfaden wird in allen Beratungsstellen genutzt.");
        var motion = page.Url;

        // A deadline in the past: refused at the field.
        await page.GetByLabel("Frist bis (Datum)").FillAsync(Day(-1));
        await page.GetByRole(AriaRole.Button, new() { Name = "Umlaufverfahren starten" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        Assert.Equal("true", await page.GetByLabel("Frist bis (Datum)").GetAttributeAsync("aria-invalid"));
        Assert.Contains("Zukunft", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        violations.AddRange(await web.CheckAsync(page, "Umlaufverfahren: Frist verweigert"));

        // Three days and six hours from now: the page counts down "noch 3 Tage" whenever the test runs.
        var end = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddDays(3).AddHours(6), Berlin);
        await page.GetByLabel("Frist bis (Datum)").FillAsync(end.ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("Frist bis (Uhrzeit)").FillAsync(end.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Umlaufverfahren starten" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        var deadline = await page.Locator("#frist").InnerTextAsync();
        Assert.Contains("Umlaufverfahren läuft: noch 3 Tage", deadline, StringComparison.Ordinal);
        Assert.Contains($"Frist bis {end:dd.MM.yyyy, HH:mm} Uhr", deadline, StringComparison.Ordinal);
        Assert.Contains($"Abgegeben: 0 von {voting} Stimmen", deadline, StringComparison.Ordinal);
        violations.AddRange(await web.CheckAsync(page, "Umlaufverfahren läuft (Koordination)"));

        // A member votes from their own sign-in, found from their start page.
        var member = await web.SignInAsync("steering-member@kommune");
        await member.GotoAsync("/lenkungsgruppe");
        await member.GetByRole(AriaRole.Link, new() { Name = "Leitfaden Erstgespräch" }).ClickAsync();
        await member.WaitForURLAsync(motion);
        violations.AddRange(await web.CheckAsync(member, "Umlaufverfahren: Stimmabgabe"));
        await member.GetByRole(AriaRole.Group, new() { Name = "Ihre Stimme" }).GetByLabel("Ja", new() { Exact = true }).CheckAsync();
        await member.GetByRole(AriaRole.Button, new() { Name = "Stimme abgeben" }).ClickAsync();
        await member.WaitForLoadStateAsync();
        Assert.Contains("Ihre Stimme: Ja", await member.Locator("#meine-stimme").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains($"Abgegeben: 1 von {voting} Stimmen", await member.Locator("#frist").InnerTextAsync(), StringComparison.Ordinal);
        violations.AddRange(await web.CheckAsync(member, "Umlaufverfahren: abgestimmt"));
        await web.ScreenshotAsync(member, "lenkungsgruppe-umlaufverfahren");

        // Another member objects: the ballot ends and the motion waits for the next meeting.
        var objecting = await web.SignInAsync("steering-member@caritas");
        await objecting.GotoAsync(motion);
        await objecting.GetByLabel("Begründung des Widerspruchs").FillAsync("Der Leitfaden braucht eine Aussprache in der Sitzung.");
        await objecting.GetByRole(AriaRole.Button, new() { Name = "Widerspruch einlegen" }).ClickAsync();
        await objecting.WaitForLoadStateAsync();
        var objection = await objecting.Locator("#widerspruch").InnerTextAsync();
        Assert.Contains("Der Leitfaden braucht eine Aussprache in der Sitzung.", objection, StringComparison.Ordinal);
        Assert.Contains("Der Antrag wird in der nächsten Sitzung beraten: ", objection, StringComparison.Ordinal);
        Assert.DoesNotContain("Umlaufverfahren läuft", await objecting.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        violations.AddRange(await web.CheckAsync(objecting, "Umlaufverfahren: Widerspruch"));

        // The motion is on the agenda of the meeting the page names as the next one.
        var nextMeeting = await objecting.Locator("#widerspruch a").GetAttributeAsync("href");
        Assert.Matches(MeetingAddress(), nextMeeting ?? "");
        await page.GotoAsync(nextMeeting!);
        Assert.Contains("Antrag: Leitfaden Erstgespräch (offen)", await page.Locator(".kim-agenda").InnerTextAsync(), StringComparison.Ordinal);
        web.ReportAccessibility(output, "steering group: circular resolution", checkedBefore, 5, violations);
    }

    [Fact]
    public async Task The_register_shows_the_resolution_with_its_number_tracks_its_implementation_and_downloads_as_csv()
    {
        var checkedBefore = web.Checked.Count;
        var violations = new List<string>();
        var group = await web.SteeringGroupAsync();
        var page = await web.SignInWithSecondFactorAsync("coordinator@kommune");

        // The coordinator chooses a member by the sign-in from the people with the steering-group role (the form passes
        // the tenant the provider lists the person with). The chair's deputy cannot also be a member: a person acts for
        // one organisation only, which the service recognises by user id and tenant; refused in German, nothing added.
        await page.GotoAsync("/lenkungsgruppe");
        var table = page.GetByRole(AriaRole.Table, new() { Name = "Mitglieder der Lenkungsgruppe und ihre Stellvertretungen" });
        var before = await table.Locator("tbody tr").CountAsync();
        await AddMemberAsync(page, "Jobcenter Kreis", Deputy, "Lenkungsgruppe 2 (kommune)", votingRight: false);
        Assert.Contains("Person bereits Stellvertretung", await page.Locator(".kern-alert--danger").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await table.Locator("tbody tr").CountAsync());
        Assert.Equal(0, await table.Locator("tbody tr").Filter(new() { Has = page.Locator("td:first-child", new() { HasText = Deputy }) }).CountAsync());
        var members = await table.InnerTextAsync();
        Assert.Contains(Chair, members, StringComparison.Ordinal);
        Assert.Contains("Caritas Beratungsdienst", members, StringComparison.Ordinal);
        violations.AddRange(await web.CheckAsync(page, "Lenkungsgruppe: Mitglied verweigert"));

        // A person who sits nowhere yet is added (without voting right, so the voting counts stay as they are).
        await AddMemberAsync(page, "Jobcenter Kreis", AdvisoryMember, "Lenkungsgruppe 3 (kommune)", votingRight: false);
        Assert.Equal(0, await page.Locator(".kern-alert--danger").CountAsync());
        var added = await table.Locator("tbody tr").Filter(new() { Has = page.Locator("td:first-child", new() { HasText = AdvisoryMember }) }).Locator("td").AllInnerTextsAsync();
        Assert.Equal([AdvisoryMember, "Jobcenter Kreis", "nein", "keine"], added.Take(4).Select(cell => cell.Trim()));
        Assert.Equal(before + 1, await table.Locator("tbody tr").CountAsync());
        violations.AddRange(await web.CheckAsync(page, "Lenkungsgruppe: Mitglied aufgenommen"));
        await web.ScreenshotAsync(page, "lenkungsgruppe-mitglieder");

        await page.GotoAsync("/lenkungsgruppe/geschaeftsordnung");
        Assert.Contains("in Kraft", await page.GetByRole(AriaRole.Table, new() { Name = "Fassungen der Geschäftsordnung" }).InnerTextAsync(), StringComparison.Ordinal);
        violations.AddRange(await web.CheckAsync(page, "Geschäftsordnung"));
        await web.ScreenshotAsync(page, "lenkungsgruppe-geschaeftsordnung");

        await page.GotoAsync("/lenkungsgruppe/beschluesse");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = RulesMotion });
        var number = RegisterNumber().Match(await row.InnerTextAsync()).Value;
        Assert.Equal(group.RulesResolution, number);
        Assert.Contains("offen", await row.InnerTextAsync(), StringComparison.Ordinal);
        violations.AddRange(await web.CheckAsync(page, "Beschlussregister"));

        // Without the responsible body: refused at the field.
        await page.GetByLabel("Beschluss", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = $"{number}: {RulesMotion}" });
        await page.GetByLabel("Stand der Umsetzung", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "umgesetzt" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Umsetzung speichern" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        Assert.Equal("true", await page.GetByLabel("Verantwortlich").GetAttributeAsync("aria-invalid"));
        violations.AddRange(await web.CheckAsync(page, "Beschlussregister: Umsetzung verweigert"));

        await page.GetByLabel("Verantwortlich").FillAsync("Koordinierungsstelle");
        await page.GetByRole(AriaRole.Button, new() { Name = "Umsetzung speichern" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = RulesMotion });
        Assert.Contains("umgesetzt", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Koordinierungsstelle", await row.InnerTextAsync(), StringComparison.Ordinal);
        violations.AddRange(await web.CheckAsync(page, "Beschlussregister: Umsetzung erfasst"));
        await web.ScreenshotAsync(page, "lenkungsgruppe-beschlussregister");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Beschlussregister als CSV herunterladen" }).ClickAsync());
        Assert.Equal("beschlussregister.csv", download.SuggestedFilename);
        var csv = await File.ReadAllTextAsync(await download.PathAsync());
        output.WriteLine(csv);
        Assert.StartsWith("Beschlussnummer;Titel;Verfahren;Ergebnis", csv.TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.Contains($"{number};{RulesMotion};Sitzung;angenommen;{group.RulesYes};0;0;ja;", csv, StringComparison.Ordinal);
        Assert.Contains(";umgesetzt;Koordinierungsstelle", csv, StringComparison.Ordinal);

        // The votes of the resolution, from its page.
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await page.WaitForURLAsync(new Regex("/lenkungsgruppe/antraege/[0-9a-f-]{36}$"));
        var votes = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Stimmen als CSV herunterladen" }).ClickAsync());
        var votesCsv = await File.ReadAllTextAsync(await votes.PathAsync());
        Assert.Contains($"{number};{RulesMotion};{Chair};Ja;nein;", votesCsv, StringComparison.Ordinal);
        Assert.Contains($"{number};{RulesMotion};{CaritasMember};Ja;nein;", votesCsv, StringComparison.Ordinal);
        web.ReportAccessibility(output, "steering group: register", checkedBefore, 6, violations);
    }

    [Fact]
    public async Task A_coordinator_of_a_carrier_is_offered_no_form_of_the_steering_group_but_told_in_german_who_keeps_it()
    {
        var checkedBefore = web.Checked.Count;
        var violations = new List<string>();
        await web.SteeringGroupAsync();
        var page = await web.SignInWithSecondFactorAsync("coordinator@caritas");

        // The coordinating office keeps the steering group: the carrier's coordinator reads it, without the forms the
        // network would refuse (adding or changing members, planning meetings, tabling motions).
        await page.GotoAsync("/lenkungsgruppe");
        Assert.Contains(Chair, await page.GetByRole(AriaRole.Table, new() { Name = "Mitglieder der Lenkungsgruppe und ihre Stellvertretungen" }).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Mitglied aufnehmen" }).CountAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Ändern", Exact = false }).CountAsync());
        Assert.Contains("Mitglieder nimmt die koordinierende Stelle des Netzwerks auf.", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        violations.AddRange(await web.CheckAsync(page, "Lenkungsgruppe: Träger liest"));

        await page.GotoAsync("/lenkungsgruppe/sitzungen");
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Sitzung planen" }).CountAsync());
        await page.GotoAsync("/planung/ketten/neu");
        Assert.Contains("Dienstleistungsketten entwirft die koordinierende Stelle des Netzwerks.", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("main form[method=post]").CountAsync());
        violations.AddRange(await web.CheckAsync(page, "Dienstleistungskette: Träger liest"));
        web.ReportAccessibility(output, "steering group: carrier's coordinator reads", checkedBefore, 2, violations);
    }

    [Fact]
    public async Task Minutes_stay_a_versioned_draft_until_a_later_meeting_approves_them_and_an_ended_membership_moves_to_the_history()
    {
        var checkedBefore = web.Checked.Count;
        var violations = new List<string>();
        var group = await web.SteeringGroupAsync();
        var first = await HoldThroughApiAsync(group, "Sitzung mit Protokollentwurf", "Entwurf: Bericht der Koordination");
        var later = await HoldThroughApiAsync(group, "Sitzung zur Genehmigung", null);
        var page = await web.SignInWithSecondFactorAsync("coordinator@kommune");

        // A draft: edited into a second version, both kept.
        await page.GotoAsync($"/lenkungsgruppe/sitzungen/{first}");
        Assert.Contains("Entwurf, Fassung 1", await page.Locator("#protokoll-stand").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByLabel("Protokoll erfassen oder ändern").FillAsync("Bericht der Koordination zur Kenntnis genommen.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Protokoll speichern" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        Assert.Contains("Entwurf, Fassung 2", await page.Locator("#protokoll-stand").InnerTextAsync(), StringComparison.Ordinal);
        var versions = await page.GetByRole(AriaRole.Table, new() { Name = "Fassungen des Protokolls" }).InnerTextAsync();
        Assert.Contains("Entwurf: Bericht der Koordination", versions, StringComparison.Ordinal);
        Assert.Contains("aktueller Entwurf", versions, StringComparison.Ordinal);
        violations.AddRange(await web.CheckAsync(page, "Sitzung: Protokoll als Entwurf"));

        // Approval without choosing the meeting is refused at the field, in German; then approved by the later meeting.
        await page.GetByRole(AriaRole.Button, new() { Name = "Protokoll als genehmigt erfassen" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        Assert.Equal("true", await page.GetByLabel("Genehmigt in der Sitzung").GetAttributeAsync("aria-invalid"));
        violations.AddRange(await web.CheckAsync(page, "Sitzung: Genehmigung verweigert"));
        await page.GetByLabel("Genehmigt in der Sitzung").SelectOptionAsync(later.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Protokoll als genehmigt erfassen" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        var state = await page.Locator("#protokoll-stand").InnerTextAsync();
        Assert.Contains("Genehmigt am", state, StringComparison.Ordinal);
        Assert.Contains("Sitzung zur Genehmigung", state, StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Protokoll speichern" }).CountAsync());
        Assert.Contains("genehmigt", await page.GetByRole(AriaRole.Table, new() { Name = "Fassungen des Protokolls" }).InnerTextAsync(), StringComparison.Ordinal);
        violations.AddRange(await web.CheckAsync(page, "Sitzung: Protokoll genehmigt"));

        // A membership ends from a day on: refused without a reason, then listed among the former members.
        var name = "Beisitz " + Guid.NewGuid().ToString("N")[..6];
        var member = await PostThroughApiAsync(group, "/api/network/steering/members", new
        {
            organisationId = web.Carrier,
            name,
            userId = "beendet-" + Guid.NewGuid().ToString("N")[..8],
            userTenant = "caritas",
            hasVotingRight = false,
        });
        await page.GotoAsync($"/lenkungsgruppe/mitglieder/{member.GetProperty("id").GetGuid()}");
        await page.GetByLabel("Ausgeschieden ab").FillAsync(Day(0));
        await page.GetByRole(AriaRole.Button, new() { Name = "Mitgliedschaft beenden" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        Assert.Equal("true", await page.GetByLabel("Grund", new() { Exact = true }).GetAttributeAsync("aria-invalid"));
        violations.AddRange(await web.CheckAsync(page, "Mitglied: Ende verweigert"));
        await page.GetByLabel("Grund", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Rücktritt" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Mitgliedschaft beenden" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/lenkungsgruppe$"));
        Assert.DoesNotContain(name, await page.GetByRole(AriaRole.Table, new() { Name = "Mitglieder der Lenkungsgruppe und ihre Stellvertretungen" }).InnerTextAsync(), StringComparison.Ordinal);
        var former = await page.GetByRole(AriaRole.Table, new() { Name = "Ausgeschiedene Mitglieder der Lenkungsgruppe" }).InnerTextAsync();
        Assert.Contains(name, former, StringComparison.Ordinal);
        Assert.Contains("Rücktritt", former, StringComparison.Ordinal);
        violations.AddRange(await web.CheckAsync(page, "Lenkungsgruppe: ausgeschiedenes Mitglied"));
        web.ReportAccessibility(output, "steering group: minutes approved, membership ended", checkedBefore, 5, violations);
    }

    [Fact]
    public async Task A_member_reads_the_anonymised_barrier_texts_behind_the_themes_with_the_provider_they_name()
    {
        var checkedBefore = web.Checked.Count;
        var suffix = Guid.NewGuid().ToString("N")[..6];
        using var caritas = new HttpClient { BaseAddress = web.Platform.GatewayUrl }.WithToken(web.Platform.DevSigningKey, "caritas", KimRoles.Coordinator, "themen-test");
        var description = $"Wartet seit Monaten auf einen Termin beim Jobcenter ({suffix}).";
        using var submitted = await caritas.PostAsJsonAsync("/api/tenants/caritas/reconstructions", new
        {
            title = "Rekonstruktion Weg in Arbeit",
            barriers = new[] { new { lifeDomain = "TrainingWork", legalDomain = "SgbII", description, themeTags = new[] { "termin jobcenter " + suffix }, providerOrganisationId = web.Jobcenter } },
        });
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
        await Eventually.TrueAsync(async () => (await caritas.GetStringAsync("/api/network/themes")).Contains("termin jobcenter " + suffix, StringComparison.Ordinal), "the theme raised by the reconstruction");

        var page = await web.SignInAsync("steering-member@kommune");
        await page.GotoAsync("/lenkungsgruppe/themen");
        var row = page.GetByRole(AriaRole.Table, new() { Name = "Generative Themen nach Rückhalt" }).Locator("tbody tr").Filter(new() { HasText = "termin jobcenter " + suffix });
        Assert.Equal(["termin jobcenter " + suffix, "Ausbildung/Arbeit", "1", "1"], (await row.Locator("td").AllInnerTextsAsync()).Take(4));
        var barriers = await page.Locator("section[aria-labelledby=huerden]").InnerTextAsync();
        Assert.Contains(description + " (caritas, SGB II, Anbieter: Jobcenter Kreis)", barriers, StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Titel speichern" }).CountAsync());
        var violations = new List<string>(await web.CheckAsync(page, "Lenkungsgruppe: Themen und Hürden"));
        web.ReportAccessibility(output, "steering group: themes and barriers", checkedBefore, 1, violations);
    }

    /// <summary>Plans a meeting through the API, records every voting member present and holds it, with the minutes given.</summary>
    private static async Task<Guid> HoldThroughApiAsync(SteeringGroup group, string title, string? minutes)
    {
        var voting = (await group.Coordinator.GetFromJsonAsync<JsonElement>("/api/network/steering/members")).EnumerateArray()
            .Where(m => m.GetProperty("hasVotingRight").GetBoolean()).Select(m => m.GetProperty("id").GetGuid()).ToList();
        var meeting = (await PostThroughApiAsync(group, "/api/network/steering/meetings", new { title, scheduledFor = DateTime.UtcNow })).GetProperty("id").GetGuid();
        using var attendance = await group.Coordinator.PutAsJsonAsync($"/api/network/steering/meetings/{meeting}/attendance",
            new { attendance = voting.Select(m => new { memberId = m, presence = "Present" }) });
        Assert.True(attendance.IsSuccessStatusCode, await attendance.Content.ReadAsStringAsync());
        await PostThroughApiAsync(group, $"/api/network/steering/meetings/{meeting}/hold", new { minutes });
        return meeting;
    }

    private static async Task<JsonElement> PostThroughApiAsync(SteeringGroup group, string path, object body)
    {
        using var response = await group.Coordinator.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Adds a member through the form of the steering group's page, the sign-in chosen by the person's name as the provider lists it.</summary>
    private async Task AddMemberAsync(IPage page, string organisation, string name, string person, bool votingRight)
    {
        await page.GetByLabel("Organisation", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = organisation });
        await page.GetByLabel("Name des Mitglieds").FillAsync(name);
        await page.GetByLabel("Anmeldung des Mitglieds").SelectOptionAsync(new SelectOptionValue { Label = person });
        await page.GetByRole(AriaRole.Group, new() { Name = "Stimmrecht" }).GetByLabel(votingRight ? "Ja" : "Nein", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Mitglied aufnehmen" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        if (await page.Locator(".kern-alert--danger").CountAsync() > 0)
        {
            await web.ShowAsync(page, output);
        }
    }

    /// <summary>
    /// Marks every member other than the chair and the caritas member present: the members a test added to the group of the
    /// run (without voting right), so that the attendance of the two voting members decides what the test sees.
    /// </summary>
    private static async Task OthersPresentAsync(IPage page)
    {
        var others = page.Locator("form fieldset").Filter(new() { HasNot = page.Locator("legend", new() { HasText = Chair }) })
            .Filter(new() { HasNot = page.Locator("legend", new() { HasText = CaritasMember }) });
        for (var i = 0; i < await others.CountAsync(); i++)
        {
            await others.Nth(i).GetByLabel("anwesend", new() { Exact = true }).CheckAsync();
        }
    }

    /// <summary>Tables a general motion from the motions page; the browser is then on the motion's page.</summary>
    private static async Task TableMotionAsync(IPage page, string title, string text)
    {
        await page.GetByLabel("Titel des Antrags").FillAsync(title);
        await page.GetByLabel("Antragstext").FillAsync(text);
        await page.GetByLabel("Art des Antrags").SelectOptionAsync(new SelectOptionValue { Label = "allgemeiner Antrag" });
        await page.GetByRole(AriaRole.Group, new() { Name = "Verbindlicher Beschluss" }).GetByLabel("Nein", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Antrag stellen" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/lenkungsgruppe/antraege/[0-9a-f-]{36}$"));
        Assert.Contains(title, await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
    }

    /// <summary>Plans a meeting with the open motions named on its agenda; the browser is then on the meeting's page.</summary>
    private static async Task PlanMeetingAsync(IPage page, string title, string date, params string[] motions)
    {
        await page.GotoAsync("/lenkungsgruppe/sitzungen");
        await page.GetByLabel("Titel der Sitzung", new() { Exact = true }).FillAsync(title);
        await page.GetByLabel("Datum", new() { Exact = true }).FillAsync(date);
        await page.GetByLabel("Uhrzeit").FillAsync("00:05");
        foreach (var motion in motions)
        {
            await page.GetByRole(AriaRole.Group, new() { Name = "Anträge auf die Tagesordnung" }).GetByLabel(motion, new() { Exact = true }).CheckAsync();
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Sitzung planen" }).ClickAsync();
        await page.WaitForURLAsync(MeetingAddress());
        Assert.Contains(title, await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
    }

    private static ILocator Attendance(IPage page, string member) =>
        page.GetByRole(AriaRole.Group).Filter(new() { Has = page.Locator("legend", new() { HasText = member }) });

    /// <summary>A day relative to today in Berlin, as typed (TT.MM.JJJJ).</summary>
    private static string Day(int offset) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Berlin).AddDays(offset).ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture);

    private static Regex MeetingAddress() => new("/lenkungsgruppe/sitzungen/[0-9a-f-]{36}$");

    [GeneratedRegex(@"LG-\d{4}-\d{2}")]
    private static partial Regex RegisterNumber();
}
