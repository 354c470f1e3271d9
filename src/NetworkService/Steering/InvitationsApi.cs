using System.Globalization;
using System.Security.Claims;
using System.Text;
using Kim.Contracts;
using Kim.NetworkService.Infrastructure;
using Kim.NetworkService.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kim.NetworkService.Steering;

/// <summary>How many invitations were queued, and who could not be invited by e-mail (no address recorded).</summary>
public sealed record InvitationsResponse(int Queued, IReadOnlyList<string> WithoutEmail);

/// <summary>Invitations with the agenda to a planned meeting, sent by e-mail through the notification outbox.</summary>
public static class InvitationsApi
{
    /// <summary>
    /// Queues one invitation per member of the steering group (with or without voting right; not those whose
    /// membership has ended by the meeting) and per deputy, to the recorded addresses. Sending again (e.g. after the
    /// agenda changed) is allowed: whoever was invited before gets an updated invitation.
    /// </summary>
    public static async Task<Results<Ok<InvitationsResponse>, ProblemHttpResult>> Send(
        Guid id, NetworkDbContext db, TimeProvider clock, IOptionsMonitor<NotificationOptions> options, NotificationSignal signal, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (meeting is null)
        {
            return Problems.NotFound("Sitzung nicht gefunden");
        }

        if (meeting.Status != MeetingStatus.Planned)
        {
            return Problems.Conflict("Sitzung nicht geplant",
                $"Einladungen gehen nur zu einer geplanten Sitzung hinaus; diese Sitzung wurde {(meeting.Status == MeetingStatus.Held ? "bereits abgehalten" : "abgesagt")}.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var today = LocalDay.Of(now);
        var meetingDay = LocalDay.Of(UtcTime.Of(meeting.ScheduledFor));
        var day = meetingDay > today ? meetingDay : today;

        // Whoever still belongs to the group on the meeting's day (or today, for a meeting already due) is invited.
        var members = await db.SteeringMembers.AsNoTracking().Where(m => m.EndedOn == null || m.EndedOn > day).OrderBy(m => m.Name).ToListAsync(cancellationToken);
        var invitedBefore = (await db.Notifications.Where(n => n.SubjectId == meeting.Id).Select(n => n.Recipient).Distinct().ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var link = options.CurrentValue.MeetingLink(meeting.Id);
        var withoutEmail = new List<string>();
        var queued = 0;
        void Invite(string name, string? address, string? deputyFor)
        {
            if (address is null)
            {
                withoutEmail.Add(name);
                return;
            }

            var updated = invitedBefore.Contains(address);
            db.Notifications.Add(new Notification
            {
                Recipient = address,
                Subject = InvitationMail.Subject(meeting, updated),
                Body = InvitationMail.Body(meeting, name, deputyFor, updated, link),
                SubjectId = meeting.Id,
                CreatedAt = now,
                NextAttemptAt = now,
            });
            queued++;
        }

        foreach (var member in members)
        {
            Invite(member.Name, member.Email, null);
            if (member.DeputyName is { } deputy)
            {
                Invite(deputy, member.DeputyEmail, member.Name);
            }
        }

        // The invitations and the audit entry are saved together: a crash loses neither, and each goes out once queued.
        db.Audit(user, "meeting.invitations-sent", meeting.Id, now, $"{queued} queued, {withoutEmail.Count} without e-mail");
        await db.SaveChangesAsync(cancellationToken);
        signal.Wake();
        return TypedResults.Ok(new InvitationsResponse(queued, withoutEmail));
    }
}

/// <summary>The text of an invitation (German, plain text; times in Europe/Berlin).</summary>
internal static class InvitationMail
{
    public static string Subject(Meeting meeting, bool updated)
    {
        var local = Local(meeting);
        return string.Create(CultureInfo.InvariantCulture,
            $"{(updated ? "Aktualisierte Einladung" : "Einladung")}: {meeting.Title} am {local:dd.MM.yyyy} um {local:HH:mm} Uhr");
    }

    public static string Body(Meeting meeting, string name, string? deputyFor, bool updated, string link)
    {
        var local = Local(meeting);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Guten Tag {name},\n\n");
        text.Append(updated
            ? "die Einladung zur folgenden Sitzung der Lenkungsgruppe wurde aktualisiert; es gilt die unten stehende Tagesordnung.\n"
            : "hiermit laden wir Sie zur folgenden Sitzung der Lenkungsgruppe ein.\n");
        if (deputyFor is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"Sie erhalten diese Einladung als Stellvertretung von {deputyFor}.\n");
        }

        text.Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"Sitzung: {meeting.Title}\n");
        text.Append(CultureInfo.InvariantCulture, $"Termin: {local:dd.MM.yyyy} um {local:HH:mm} Uhr\n\n");
        var agenda = meeting.Agenda.OrderBy(a => a.Order).ToList();
        if (agenda.Count == 0)
        {
            text.Append("Die Tagesordnung wird noch bekannt gegeben.\n\n");
        }
        else
        {
            text.Append("Tagesordnung:\n");
            for (var i = 0; i < agenda.Count; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"{i + 1}. {agenda[i].Title}\n");
            }

            text.Append('\n');
        }

        text.Append("Die Sitzung mit Tagesordnung und Unterlagen finden Sie unter:\n");
        text.Append(link).Append("\n\n");
        text.Append("Mit freundlichen Grüßen\nIhre Koordinierungsstelle der Lenkungsgruppe\n");
        return text.ToString();
    }

    private static DateTime Local(Meeting meeting) => TimeZoneInfo.ConvertTimeFromUtc(UtcTime.Of(meeting.ScheduledFor), LocalDay.Zone);
}
