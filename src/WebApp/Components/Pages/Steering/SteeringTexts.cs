using System.Globalization;
using Kim.WebApp.Clients.Network.Models;

namespace Kim.WebApp.Components.Pages.Steering;

/// <summary>German names and formats of the steering group's values (Lenkungsgruppe, see the glossary).</summary>
public static class SteeringTexts
{
    private static readonly TimeZoneInfo Berlin = Kim.Contracts.LocalDay.Zone;

    public static string Of(MeetingStatus? status) => status switch
    {
        MeetingStatus.Planned => "geplant",
        MeetingStatus.Held => "abgehalten",
        MeetingStatus.Cancelled => "abgesagt",
        _ => "–",
    };

    public static string Of(MembershipEndReason? reason) => reason switch
    {
        MembershipEndReason.TermEnded => "Ende der Amtszeit",
        MembershipEndReason.Resigned => "Rücktritt",
        MembershipEndReason.RecalledByOrganisation => "Abberufung durch die Organisation",
        MembershipEndReason.OrganisationLeft => "Ausscheiden der Organisation",
        MembershipEndReason.Other => "sonstiger Grund",
        _ => "–",
    };

    public static IEnumerable<(string Value, string Text)> EndReasons =>
        Enum.GetValues<MembershipEndReason>().Select(r => (r.ToString(), Of(r)));

    public static string Of(MinutesStatus? status) => status switch
    {
        MinutesStatus.Draft => "Entwurf",
        MinutesStatus.Approved => "genehmigt",
        _ => "noch kein Protokoll",
    };

    public static string Of(Presence? presence) => presence switch
    {
        Presence.Present => "anwesend",
        Presence.RepresentedByDeputy => "durch Stellvertretung vertreten",
        Presence.Absent => "abwesend",
        _ => "nicht erfasst",
    };

    public static string Of(MotionKind? kind) => kind switch
    {
        MotionKind.General => "allgemeiner Antrag",
        MotionKind.AdoptRules => "Geschäftsordnung beschließen",
        MotionKind.MandateWorkingGroup => "Arbeitsgruppe beauftragen",
        MotionKind.AssignTheme => "Thema zuweisen",
        MotionKind.DecideWorkingGroupResult => "über ein Arbeitsgruppenergebnis entscheiden",
        MotionKind.AdoptGoalSystem => "Zielsystem beschließen",
        MotionKind.AdoptServiceChain => "Dienstleistungskette beschließen",
        _ => "–",
    };

    public static string Of(MotionStatus? status) => status switch
    {
        MotionStatus.Tabled => "offen",
        MotionStatus.CircularBallot => "im Umlaufverfahren",
        MotionStatus.Adopted => "angenommen",
        MotionStatus.Rejected => "abgelehnt",
        _ => "–",
    };

    public static string Of(ImplementationStatus? status) => status switch
    {
        ImplementationStatus.Open => "offen",
        ImplementationStatus.InProgress => "in Umsetzung",
        ImplementationStatus.Done => "umgesetzt",
        _ => "–",
    };

    public static string Of(MajorityRule? rule) => rule switch
    {
        MajorityRule.Simple => "einfache Mehrheit",
        MajorityRule.TwoThirds => "Zweidrittelmehrheit",
        MajorityRule.Consensus => "Konsens",
        _ => "–",
    };

    public static string Of(RulesStatus? status) => status switch
    {
        RulesStatus.Draft => "Entwurf",
        RulesStatus.InForce => "in Kraft",
        RulesStatus.Superseded => "abgelöst",
        _ => "–",
    };

    public static string Of(VoteChoice? choice) => choice switch
    {
        VoteChoice.Yes => "Ja",
        VoteChoice.No => "Nein",
        VoteChoice.Abstain => "Enthaltung",
        _ => "–",
    };

    public static string Of(ResolutionProcedure? procedure) => procedure switch
    {
        ResolutionProcedure.Meeting => "Sitzung",
        ResolutionProcedure.Circular => "Umlaufverfahren",
        _ => "–",
    };

    public static string Of(CircularResult? result) => result switch
    {
        CircularResult.Open => "läuft",
        CircularResult.Adopted => "angenommen",
        CircularResult.Rejected => "abgelehnt",
        CircularResult.ParticipationQuorumMissed => "nicht angenommen: zu geringe Beteiligung",
        _ => "–",
    };

    public static string Of(AgendaItemKind? kind) => kind switch
    {
        AgendaItemKind.Motion => "Antrag",
        AgendaItemKind.Theme => "Thema",
        AgendaItemKind.WorkingGroupResult => "Arbeitsgruppenergebnis",
        AgendaItemKind.Other => "Sonstiges",
        _ => "–",
    };

    public static string YesNo(bool? value) => value switch
    {
        true => "ja",
        false => "nein",
        _ => "–",
    };

    /// <summary>
    /// How long a circular ballot still runs, as read on the page when it was rendered: "noch 3 Tage", "noch 5 Stunden",
    /// "noch weniger als eine Stunde", or that the deadline has passed.
    /// </summary>
    public static string Remaining(DateTimeOffset? deadline, DateTimeOffset now)
    {
        if (deadline is not { } end)
        {
            return "–";
        }

        var left = end - now;
        if (left <= TimeSpan.Zero)
        {
            return "Frist abgelaufen";
        }

        if (left.TotalDays >= 1)
        {
            var days = (int)left.TotalDays;
            return days == 1 ? "noch 1 Tag" : $"noch {days} Tage";
        }

        if (left.TotalHours >= 1)
        {
            var hours = (int)left.TotalHours;
            return hours == 1 ? "noch 1 Stunde" : $"noch {hours} Stunden";
        }

        return "noch weniger als eine Stunde";
    }

    /// <summary>A date (TT.MM.JJJJ) and a time of day (HH:MM, 00:00 when empty) as typed in Berlin, as a point in time; null when it is none.</summary>
    public static DateTimeOffset? PointInTime(string? date, string? time)
    {
        if (!DateOnly.TryParseExact(date?.Trim(), ["d.M.yyyy", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return null;
        }

        var clock = TimeOnly.MinValue;
        if (!string.IsNullOrWhiteSpace(time) && !TryTimeOfDay(time, out clock))
        {
            return null;
        }

        var local = day.ToDateTime(clock, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Berlin.GetUtcOffset(local));
    }

    /// <summary>Whether a time of day is empty (00:00) or one as typed (HH:MM); "25:00" is none.</summary>
    public static bool IsTimeOfDay(string? time) => string.IsNullOrWhiteSpace(time) || TryTimeOfDay(time, out _);

    private static bool TryTimeOfDay(string time, out TimeOnly clock) =>
        TimeOnly.TryParseExact(time.Trim(), ["H:mm", "HH:mm", "H.mm", "HH.mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out clock);

    public static string Percent(int? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) + " %" : "–";

    /// <summary>Whether a meeting with this attendance would be quorate under the rules (a deputy counts as present).</summary>
    public static bool IsQuorate(int votingMembers, int present, int quorumPercent) =>
        present > 0 && present * 100L >= (long)quorumPercent * votingMembers;
}
