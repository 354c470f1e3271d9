using System.Globalization;
using Kim.WebApp.Clients.CaseService.Models;

namespace Kim.WebApp.Components;

/// <summary>German names of the API's values (the API speaks English; people read German, see the glossary).</summary>
public static class Texts
{
    /// <summary>How numbers and dates read in German (decimal comma).</summary>
    public static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    public static string Of(CasePhase? phase) => phase switch
    {
        CasePhase.Intake => "Erstberatung",
        CasePhase.Assessment => "Assessment",
        CasePhase.GoalAgreement => "Zielvereinbarung",
        CasePhase.ServicePlanning => "Hilfeplanung",
        CasePhase.ServiceSteering => "Leistungssteuerung",
        CasePhase.Monitoring => "Monitoring",
        CasePhase.Closure => "Abschluss und Auswertung",
        _ => "–",
    };

    public static string Of(CaseStatus? status) => status switch
    {
        CaseStatus.Open => "offen",
        CaseStatus.NotIndicated => "nicht indiziert",
        CaseStatus.Closed => "abgeschlossen",
        _ => "–",
    };

    public static string Of(LifeDomain? domain) => domain switch
    {
        LifeDomain.Residence => "Aufenthalt",
        LifeDomain.Language => "Sprache",
        LifeDomain.EducationSchool => "Bildung/Schule",
        LifeDomain.TrainingWork => "Ausbildung/Arbeit",
        LifeDomain.Housing => "Wohnen",
        LifeDomain.Health => "Gesundheit",
        LifeDomain.FamilyChildren => "Familie/Kinder",
        LifeDomain.LivelihoodSecurity => "Existenzsicherung",
        LifeDomain.SocialParticipation => "Soziale Teilhabe",
        _ => "–",
    };

    public static string Of(LegalDomain? domain) => domain switch
    {
        LegalDomain.SgbII => "SGB II",
        LegalDomain.SgbIII => "SGB III",
        LegalDomain.SgbV => "SGB V",
        LegalDomain.SgbVIII => "SGB VIII",
        LegalDomain.SgbIX => "SGB IX",
        LegalDomain.SgbXII => "SGB XII",
        LegalDomain.AufenthG => "AufenthG",
        LegalDomain.StAG => "StAG",
        LegalDomain.AsylbLG => "AsylbLG",
        LegalDomain.BAföG => "BAföG",
        LegalDomain.CrossDomain => "rechtskreisübergreifend",
        LegalDomain.Other => "sonstiger",
        _ => "–",
    };

    public static string Of(ReferralStatus? status) => status switch
    {
        ReferralStatus.Issued => "weitergeleitet",
        ReferralStatus.Accepted => "angenommen",
        ReferralStatus.Started => "begonnen",
        ReferralStatus.Completed => "abgeschlossen",
        ReferralStatus.Rejected => "abgelehnt",
        ReferralStatus.Cancelled => "zurückgezogen",
        _ => "–",
    };

    public static string Of(ReferralFailureReason? reason) => reason switch
    {
        ReferralFailureReason.ClientDeclined => "Person hat abgelehnt",
        ReferralFailureReason.NoCapacity => "keine Kapazität",
        ReferralFailureReason.Unreachable => "nicht erreichbar",
        ReferralFailureReason.NotEligible => "kein Anspruch",
        ReferralFailureReason.Other => "sonstiger Grund",
        _ => "–",
    };

    public static string Of(ConsentPurpose? purpose) => purpose switch
    {
        ConsentPurpose.CaseManagement => "Case Management",
        ConsentPurpose.CaseConference => "Fallkonferenz",
        ConsentPurpose.DataTransferToProvider => "Datenweitergabe an einen Leistungserbringer",
        ConsentPurpose.PlanningPseudonymised => "pseudonymisierte Planung",
        _ => "–",
    };

    public static string Of(ConsentStatus? status) => status switch
    {
        ConsentStatus.Requested => "angefragt",
        ConsentStatus.Given => "erteilt",
        ConsentStatus.Renewed => "erneuert",
        ConsentStatus.Withdrawn => "widerrufen",
        ConsentStatus.Expired => "abgelaufen",
        _ => "–",
    };

    public static string Of(ConsentGiver? giver) => giver switch
    {
        ConsentGiver.Client => "die Person selbst",
        ConsentGiver.Representative => "gesetzliche Vertretung",
        _ => "–",
    };

    public static string Of(OrganisationType? type) => type switch
    {
        OrganisationType.Carrier => "freier Träger",
        OrganisationType.MunicipalOffice => "kommunales Amt",
        OrganisationType.ImmigrationAuthority => "Ausländerbehörde",
        OrganisationType.NaturalisationAuthority => "Einbürgerungsbehörde",
        OrganisationType.Jobcenter => "Jobcenter",
        OrganisationType.EmploymentAgency => "Agentur für Arbeit",
        OrganisationType.SchoolOrDaycare => "Schule/Kita",
        OrganisationType.MigrantOrganisation => "Migrant:innenselbstorganisation",
        OrganisationType.IntegrationCouncil => "Integrationsrat",
        OrganisationType.MemberTown => "kreisangehörige Kommune",
        OrganisationType.Politics => "Politik",
        OrganisationType.Volunteers => "Ehrenamt",
        OrganisationType.OtherCaseManagement => "anderes Case Management (JMD, MBE, THM)",
        _ => "–",
    };

    public static string Of(ResidenceStatus? status) => status switch
    {
        ResidenceStatus.Unknown => "unbekannt",
        ResidenceStatus.PermissionToReside => "Aufenthaltsgestattung",
        ResidenceStatus.Toleration => "Duldung",
        ResidenceStatus.ResidencePermit => "Aufenthaltserlaubnis",
        ResidenceStatus.TemporaryProtection => "§ 24 AufenthG (vorübergehender Schutz)",
        ResidenceStatus.SettlementPermit => "Niederlassungserlaubnis",
        ResidenceStatus.EuFreedomOfMovement => "EU-Freizügigkeit",
        ResidenceStatus.Naturalised => "eingebürgert",
        _ => "–",
    };

    public static string Of(AccessRoute? route) => route switch
    {
        AccessRoute.Unknown => "unbekannt",
        AccessRoute.SelfReferral => "aus eigenem Antrieb",
        AccessRoute.ReferralByAuthority => "über eine Behörde",
        AccessRoute.ReferralByCounselling => "über eine Beratungsstelle",
        AccessRoute.Outreach => "aufsuchend",
        _ => "–",
    };

    public static string Of(CaseReviewKind? kind) => kind switch
    {
        CaseReviewKind.Review => "Fallbesprechung",
        CaseReviewKind.Conference => "Fallkonferenz",
        _ => "–",
    };

    public static string Of(GoalEvaluation? evaluation) => evaluation switch
    {
        GoalEvaluation.Achieved => "erreicht",
        GoalEvaluation.PartlyAchieved => "teilweise erreicht",
        GoalEvaluation.NotAchieved => "nicht erreicht",
        GoalEvaluation.Dropped => "aufgegeben",
        _ => "offen",
    };

    public static string Of(DueKind? kind) => kind switch
    {
        DueKind.ReferralDue => "Weiterleitung fällig",
        DueKind.GoalTargetDate => "Zieltermin",
        DueKind.ConsentExpiry => "Einwilligung läuft ab",
        DueKind.FollowUp => "Wiedervorlage",
        DueKind.Appointment => "Termin",
        DueKind.PlannedReview => "Geplante Besprechung",
        _ => "–",
    };

    public static string Of(JournalEntryKind? kind) => kind switch
    {
        JournalEntryKind.Counselling => "Beratung",
        JournalEntryKind.PhoneCall => "Telefonat",
        JournalEntryKind.HomeVisit => "Hausbesuch",
        JournalEntryKind.Accompaniment => "Begleitung",
        JournalEntryKind.Email => "E-Mail",
        JournalEntryKind.Other => "Sonstiges",
        _ => "–",
    };

    public static string Of(FollowUpKind? kind) => kind switch
    {
        FollowUpKind.FollowUp => "Wiedervorlage",
        FollowUpKind.Appointment => "Termin",
        FollowUpKind.Review => "Fallbesprechung (geplant)",
        FollowUpKind.Conference => "Fallkonferenz (geplant)",
        _ => "–",
    };

    /// <summary>The German name of a field of the client's data, as the correction history names it.</summary>
    public static string ClientField(string? field) => field switch
    {
        "givenName" => "Vorname",
        "familyName" => "Familienname",
        "birthDate" => "Geburtsdatum",
        "phone" => "Telefon",
        "email" => "E-Mail",
        "address" => "Anschrift",
        "languages" => "Sprachen",
        "residenceStatus" => "Aufenthaltsstatus",
        "arrivalDate" => "Ankunft in Deutschland",
        _ => field ?? "–",
    };

    /// <summary>Times as people in North Rhine-Westphalia read them, whatever the server's own time zone.</summary>
    private static readonly TimeZoneInfo Berlin = Kim.Contracts.LocalDay.Zone;

    public static string Date(DateTimeOffset? value) =>
        value is { } v ? TimeZoneInfo.ConvertTime(v, Berlin).ToString("dd.MM.yyyy", German) : "–";

    public static string DateTime(DateTimeOffset? value) =>
        value is { } v ? TimeZoneInfo.ConvertTime(v, Berlin).ToString("dd.MM.yyyy, HH:mm 'Uhr'", German) : "–";

    public static string Date(Microsoft.Kiota.Abstractions.Date? value) =>
        value is { } v ? v.DateTime.ToString("dd.MM.yyyy", German) : "–";

    /// <summary>A value of an open JSON object (e.g. former values of a correction) as text.</summary>
    public static string Untyped(object? value) => value switch
    {
        Microsoft.Kiota.Abstractions.Serialization.UntypedString text => text.GetValue() ?? "–",
        Microsoft.Kiota.Abstractions.Serialization.UntypedArray array => string.Join(", ", array.GetValue().Select(Untyped)),
        Microsoft.Kiota.Abstractions.Serialization.UntypedNull => "–",
        Microsoft.Kiota.Abstractions.Serialization.UntypedBoolean flag => flag.GetValue() ? "ja" : "nein",
        Microsoft.Kiota.Abstractions.Serialization.UntypedInteger number => number.GetValue().ToString(German),
        null => "–",
        _ => value.ToString() ?? "–",
    };

    public static string Number(long? value) => value is { } v ? v.ToString("N0", German) : "–";

    /// <summary>A score between 0 and 1 (dimension, implementation type) with two decimals.</summary>
    public static string Score(double? score) => score is { } s ? s.ToString("0.00", German) : "–";

    /// <summary>The current calendar year (UTC), the default period of reports and submissions.</summary>
    public static int CurrentYear(TimeProvider? time = null) => (time ?? TimeProvider.System).GetUtcNow().Year;

    /// <summary>The values of an enum in the order the API defines.</summary>
    public static IEnumerable<T> Values<T>() where T : struct, Enum => Enum.GetValues<T>();

    /// <summary>A select list of an enum: the API's value and its German name.</summary>
    public static IEnumerable<(string Value, string Text)> Options<T>(Func<T?, string> text) where T : struct, Enum =>
        Values<T>().Select(v => (v.ToString(), text(v)));
}
