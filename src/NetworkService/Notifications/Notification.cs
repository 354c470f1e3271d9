using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kim.NetworkService.Notifications;

/// <summary>
/// An e-mail waiting to be sent, or sent (the notification outbox). It is written in the same transaction as the change
/// it announces (with its audit entry), so it survives a crash and is sent by <see cref="NotificationDispatcher"/>.
/// </summary>
public sealed class Notification
{
    /// <summary>Ascending: notifications are sent in the order they were queued.</summary>
    public long Id { get; init; }

    public required string Recipient { get; init; }

    public required string Subject { get; init; }

    /// <summary>The plain-text body, complete when queued.</summary>
    public required string Body { get; init; }

    /// <summary>What the notification is about (e.g. the meeting an invitation is for).</summary>
    public Guid? SubjectId { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? SentAt { get; set; }

    /// <summary>How often sending was tried (the successful attempt included).</summary>
    public int Attempts { get; set; }

    /// <summary>When the next attempt is due; null once sent, or when the attempts are used up.</summary>
    public DateTime? NextAttemptAt { get; set; }

    /// <summary>Why the last attempt failed, as a code without addresses or content (e.g. <c>smtp-451</c>, <c>socket-ConnectionRefused</c>).</summary>
    public string? LastError { get; set; }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> notification)
    {
        notification.ToTable("Notifications");
        notification.HasKey(n => n.Id);
        notification.Property(n => n.Recipient).HasMaxLength(EmailAddress.MaxLength);
        notification.Property(n => n.Subject).HasMaxLength(400);
        notification.Property(n => n.Body).HasMaxLength(20_000);
        notification.Property(n => n.LastError).HasMaxLength(80);
        notification.HasIndex(n => new { n.SentAt, n.NextAttemptAt });
        notification.HasIndex(n => n.SubjectId);
    }
}

/// <summary>The e-mail addresses the steering group records: a plausibility check, not a full RFC 5322 parser.</summary>
public static class EmailAddress
{
    public const int MaxLength = 200;

    /// <summary>One '@' with something before and after it, and no spaces or control characters.</summary>
    public static bool IsPlausible(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        return value.Length <= MaxLength && at > 0 && at < value.Length - 1 && at == value.LastIndexOf('@')
            && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or ';' or '"')
            && MimeKit.MailboxAddress.TryParse(value, out _);
    }

    /// <summary>The trimmed address, or null for none.</summary>
    public static string? Normalize(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
