using System.Globalization;
using System.Text;

namespace Kim.Cli.Demo;

/// <summary>The providers a demo referral goes to (registry ids) and the chain it may run along.</summary>
public sealed record DemoProviders(Guid Recognition, Guid ImmigrationOffice, Guid Jobcenter, Guid AdultEducation, Guid Housing, Guid ChainId);

/// <summary>One imported referral as the demo generated it, with its handover (issue to answer) for the figures.</summary>
public sealed record DemoReferral(
    string CaseNumber, Guid Provider, int? ChainVersion, int? Step, string? LifeDomain, string? LegalDomain, int? TargetDays,
    DateOnly Issued, DateOnly? Accepted, DateOnly? Started, DateOnly? Completed, DateOnly? Rejected, string? Reason, bool? Successful)
{
    /// <summary>The last status (the name of the platform's referral status).</summary>
    public string Status => Completed is not null ? "Completed" : Rejected is not null ? "Rejected" : Started is not null ? "Started" : Accepted is not null ? "Accepted" : "Issued";
}

/// <summary>One imported case: its course through the phases and its referrals.</summary>
public sealed record DemoCase(
    string Number, string GivenName, string FamilyName, DateOnly BirthDate, string Status, string Languages, string Route,
    DateOnly Opened, DateOnly? Consent, DateOnly?[] Phases, DateOnly? Closed, string? ClosureReason, List<DemoReferral> Referrals);

/// <summary>
/// A plausible year of case work of one tenant, generated from a fixed seed: cases opened over the year pass the
/// phases; most of those in the service steering are referred along the chain „Berufliche Anerkennung und Arbeit“.
/// Before <see cref="Switch"/> the chain's version 1 applies and its second step (the immigration office's employment
/// permit) stalls for months; from <see cref="Switch"/> version 2 answers within days. The rest go to a language
/// course or the housing office. Nothing lies after <see cref="Yesterday"/>.
/// </summary>
public sealed class DemoHistory
{
    private static readonly string[] GivenNames = ["Amina", "Omar", "Yusuf", "Leyla", "Mariam", "Ahmad", "Olena", "Dmytro", "Fatima", "Hassan", "Nour", "Samir", "Zainab", "Bilal", "Iryna", "Tarek", "Aylin", "Karim", "Rania", "Mehmet", "Sofia", "Ali", "Hana", "Jamal"];
    private static readonly string[] FamilyNames = ["Haddad", "Rahimi", "Kovalenko", "Yilmaz", "Nasser", "Hosseini", "Shevchenko", "Demir", "Mansour", "Karimi", "Bondarenko", "Aziz", "Saleh", "Popescu", "Haidari", "Tkachenko", "Khalil", "Osman", "Barzani", "Melnyk"];
    private static readonly string[] Statuses = ["ResidencePermit", "PermissionToReside", "Toleration", "TemporaryProtection", "SettlementPermit"];
    private static readonly string[] Languages = ["ar", "fa", "uk", "tr", "ku,ar", "ti", "ru,uk", "ps"];
    private static readonly string[] Routes = ["SelfReferral", "ReferralByAuthority", "ReferralByCounselling", "Outreach"];

    public DemoHistory(string tenant, int cases, DateOnly today, int seed, DemoProviders providers)
    {
        Providers = providers;
        Yesterday = today.AddDays(-1);
        Start = today.AddDays(-365);
        Switch = today.AddDays(-182);
        var random = new Random(seed);
        Cases = [.. Enumerable.Range(1, cases).Select(i => Case(random, $"{tenant.ToUpperInvariant()}-{Start.Year}-{i:0000}"))];
    }

    public DateOnly Start { get; }

    /// <summary>From this day on, chain referrals run along version 2.</summary>
    public DateOnly Switch { get; }

    public DateOnly Yesterday { get; }

    public IReadOnlyList<DemoCase> Cases { get; }

    public DemoProviders Providers { get; }

    public IEnumerable<DemoReferral> Referrals => Cases.SelectMany(c => c.Referrals);

    private DemoCase Case(Random random, string number)
    {
        var opened = Start.AddDays(random.Next(0, 330));
        var phases = new DateOnly?[5];
        DateOnly? consent = null;
        var day = opened;
        var reached = random.NextDouble() switch { < 0.08 => 0, < 0.16 => 2, _ => 5 };
        int[] gaps = [random.Next(2, 8), random.Next(7, 21), random.Next(5, 15), random.Next(5, 15)];
        for (var p = 0; p < reached && p < 4; p++)
        {
            var next = day.AddDays(gaps[p]);
            if (next > Yesterday)
            {
                break;
            }

            consent ??= opened.AddDays(1) <= next ? opened.AddDays(1) : next;
            day = next;
            phases[p] = day;
        }

        var given = GivenNames[random.Next(GivenNames.Length)];
        var family = FamilyNames[random.Next(FamilyNames.Length)];
        var birth = new DateOnly(1962, 1, 1).AddDays(random.Next(0, 365 * 42));
        var referrals = new List<DemoReferral>();
        DateOnly? closed = null;
        string? reason = null;
        if (phases[3] is { } steering)
        {
            var last = random.NextDouble() < 0.65 ? Chain(random, number, steering, referrals) : Other(random, number, steering, referrals);
            if (last is { } done && done.AddDays(10) <= Yesterday)
            {
                phases[4] = done.AddDays(random.Next(3, 10));
                var closing = phases[4]!.Value.AddDays(random.Next(20, 60));
                if (closing <= Yesterday && random.NextDouble() < 0.7)
                {
                    (closed, reason) = (closing, "Ziele erreicht");
                }
            }
        }

        return new DemoCase(number, given, family, birth, Statuses[random.Next(Statuses.Length)], Languages[random.Next(Languages.Length)],
            Routes[random.Next(Routes.Length)], opened, consent, phases, closed, reason, referrals);
    }

    /// <summary>The three steps of the chain; returns the day the last referral ended, null while one is still open.</summary>
    private DateOnly? Chain(Random random, string number, DateOnly steering, List<DemoReferral> referrals)
    {
        var providers = Providers;
        var issued1 = steering.AddDays(random.Next(1, 4));
        if (issued1 > Yesterday)
        {
            return null;
        }

        var version = issued1 < Switch ? 1 : 2;
        var (accepted1, started1, completed1) = Course(issued1, random.Next(2, 9), random.Next(1, 6), random.Next(15, 40));
        referrals.Add(Referral(number, providers.Recognition, version, 1, issued1, accepted1, started1, completed1, null, null, completed1 is null ? null : true));
        if (accepted1 is not { } a1)
        {
            return null;
        }

        // The handover that stalls before the revision: the immigration office's employment permit.
        var issued2 = a1.AddDays(random.Next(3, 10));
        if (issued2 > Yesterday)
        {
            return null;
        }

        var stalled = issued2 < Switch;
        var roll = random.NextDouble();
        if (stalled ? roll < 0.15 : roll < 0.04)
        {
            var rejected = issued2.AddDays(stalled ? random.Next(25, 45) : random.Next(3, 8));
            referrals.Add(Referral(number, providers.ImmigrationOffice, version, 2, issued2, null, null, null, rejected <= Yesterday ? rejected : null,
                rejected <= Yesterday ? "Unterlagen unvollständig" : null, null));
            return rejected <= Yesterday ? rejected : null;
        }

        var answer = stalled ? (roll < 0.75 ? random.Next(45, 160) : 400) : (roll < 0.93 ? random.Next(2, 12) : random.Next(15, 25));
        var (accepted2, started2, completed2) = Course(issued2, answer, random.Next(1, 5), random.Next(5, 15));
        referrals.Add(Referral(number, providers.ImmigrationOffice, version, 2, issued2, accepted2, started2, completed2, null, null, completed2 is null ? null : true));
        if (accepted2 is not { } a2 || a2.AddDays(5) > Yesterday)
        {
            return null;
        }

        var issued3 = a2.AddDays(random.Next(5, 15));
        var success = random.NextDouble() < 0.7;
        var (accepted3, started3, completed3) = Course(issued3, random.Next(5, 25), random.Next(7, 20), random.Next(60, 120));
        if (issued3 > Yesterday)
        {
            return null;
        }

        referrals.Add(Referral(number, providers.Jobcenter, version, 3, issued3, accepted3, started3, completed3, null, null, completed3 is null ? null : success));
        return completed3;
    }

    /// <summary>A language course or the housing office, without a chain.</summary>
    private DateOnly? Other(Random random, string number, DateOnly steering, List<DemoReferral> referrals)
    {
        var providers = Providers;
        var issued = steering.AddDays(random.Next(1, 6));
        if (issued > Yesterday)
        {
            return null;
        }

        var language = random.NextDouble() < 0.6;
        var (accepted, started, completed) = Course(issued, random.Next(3, 25), random.Next(7, 30), language ? random.Next(90, 180) : random.Next(30, 90));
        referrals.Add(new DemoReferral(number, language ? providers.AdultEducation : providers.Housing, null, null,
            language ? "Language" : "Housing", language ? "AufenthG" : "SgbXII", 30, issued, accepted, started, completed, null, null, completed is null ? null : true));
        return completed;
    }

    /// <summary>Accepted, started and completed after the given days, each only if it lies in the past.</summary>
    private (DateOnly? Accepted, DateOnly? Started, DateOnly? Completed) Course(DateOnly issued, int toAnswer, int toStart, int toEnd)
    {
        var accepted = issued.AddDays(toAnswer);
        if (accepted > Yesterday)
        {
            return (null, null, null);
        }

        var started = accepted.AddDays(toStart);
        if (started > Yesterday)
        {
            return (accepted, null, null);
        }

        var completed = started.AddDays(toEnd);
        return completed > Yesterday ? (accepted, started, null) : (accepted, started, completed);
    }

    private static DemoReferral Referral(string number, Guid provider, int version, int step, DateOnly issued, DateOnly? accepted, DateOnly? started,
        DateOnly? completed, DateOnly? rejected, string? reason, bool? successful) =>
        new(number, provider, version, step, null, null, null, issued, accepted, started, completed, rejected, reason, successful);

    /// <summary>The cases file of the import (see the CaseService's import format).</summary>
    public string CasesCsv(string caseManager)
    {
        var csv = new StringBuilder("Fallnummer;Vorname;Nachname;Geburtsdatum;Aufenthaltsstatus;Sprachen;Zugangsweg;Fallverantwortung;Eröffnet am;Einwilligung am;Assessment seit;Zielvereinbarung seit;Hilfeplanung seit;Leistungssteuerung seit;Monitoring seit;Abgeschlossen am;Abschlussgrund\n");
        foreach (var c in Cases)
        {
            csv.AppendJoin(';', [c.Number, c.GivenName, c.FamilyName, Day(c.BirthDate), c.Status, c.Languages, c.Route, caseManager, Day(c.Opened), Day(c.Consent),
                .. c.Phases.Select(Day), Day(c.Closed), c.ClosureReason ?? ""]).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>The referrals file of the import with the referrals issued in [from, to).</summary>
    public string ReferralsCsv(DateOnly from, DateOnly to)
    {
        var csv = new StringBuilder("Fallnummer;Lebensbereich;Rechtskreis;Leistungserbringer-ID;Dienstleistungskette-ID;Kettenversion;Kettenschritt;Zieltage;Vermittelt am;Angenommen am;Begonnen am;Abgeschlossen am;Abgelehnt am;Erfolgreich;Misserfolgsgrund;Grund\n");
        foreach (var r in Referrals.Where(r => r.Issued >= from && r.Issued < to))
        {
            var chain = r.Step is null ? "" : Providers.ChainId.ToString();
            csv.AppendJoin(';', [r.CaseNumber, r.LifeDomain ?? "", r.LegalDomain ?? "", r.Provider.ToString(), chain, r.ChainVersion?.ToString(CultureInfo.InvariantCulture) ?? "",
                r.Step?.ToString(CultureInfo.InvariantCulture) ?? "", r.TargetDays?.ToString(CultureInfo.InvariantCulture) ?? "", Day(r.Issued), Day(r.Accepted), Day(r.Started),
                Day(r.Completed), Day(r.Rejected), r.Successful switch { true => "ja", false => "nein", null => "" }, r.Successful == false ? "ClientDeclined" : "", r.Reason ?? ""]).Append('\n');
        }

        return csv.ToString();
    }

    private static string Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
}
