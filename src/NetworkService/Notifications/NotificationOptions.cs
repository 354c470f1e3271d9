using System.ComponentModel.DataAnnotations;

namespace Kim.NetworkService.Notifications;

/// <summary>
/// How notifications (invitations of the steering group) are sent (section <c>Notifications</c>): by SMTP when
/// <see cref="SmtpOptions.Host"/> is set, else as .eml files into <see cref="PickupDirectory"/> (development); with
/// neither they stay queued.
/// </summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>The sender of every notification.</summary>
    [Required]
    public string From { get; set; } = "Lenkungsgruppe <kim@localhost>";

    /// <summary>The web front end's address, for links in notifications (e.g. to the meeting page).</summary>
    public string WebAppUrl { get; set; } = "";

    /// <summary>Without an SMTP host: the folder every message is written to as an .eml file.</summary>
    public string PickupDirectory { get; set; } = "";

    /// <summary>How often the dispatcher looks for due notifications (it also wakes up when one is queued).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait after the first failed attempt; doubled after each further one, at most six hours.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "06:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>After this many failed attempts a notification is given up (it stays in the table, unsent).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The link to a meeting's page in the web front end.</summary>
    public string MeetingLink(Guid meetingId) => $"{WebAppUrl.TrimEnd('/')}/lenkungsgruppe/sitzungen/{meetingId}";
}

public sealed class SmtpOptions
{
    /// <summary>The SMTP server; empty: no SMTP.</summary>
    public string Host { get; set; } = "";

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>Whether to secure the connection with STARTTLS (required then); false: plain SMTP, e.g. to a local relay.</summary>
    public bool UseTls { get; set; } = true;

    /// <summary>The account to authenticate with; empty: no authentication.</summary>
    public string User { get; set; } = "";

    public string Password { get; set; } = "";
}
