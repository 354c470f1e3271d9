namespace Kim.CaseService.Cases;

/// <summary>What kind of contact a journal entry documents.</summary>
public enum JournalEntryKind
{
    /// <summary>Beratung.</summary>
    Counselling,

    /// <summary>Telefonat.</summary>
    PhoneCall,

    /// <summary>Hausbesuch.</summary>
    HomeVisit,

    /// <summary>Begleitung.</summary>
    Accompaniment,

    /// <summary>E-Mail.</summary>
    Email,

    /// <summary>Sonstiges.</summary>
    Other,
}

/// <summary>One dated entry of a case's journal (Verlaufsdokumentation). The text is encrypted at rest.</summary>
public sealed class JournalEntry
{
    public Guid Id { get; init; }

    public Guid CaseId { get; init; }

    public JournalEntryKind Kind { get; init; }

    public DateOnly OccurredOn { get; init; }

    public int? DurationMinutes { get; init; }

    /// <summary>AES-GCM ciphertext of the text, bound to the entry id; null once the client is anonymised.</summary>
    public string? ProtectedText { get; set; }

    public DateTime RecordedAt { get; init; }

    public required string RecordedBy { get; init; }
}

/// <summary>What a follow-up is for.</summary>
public enum FollowUpKind
{
    /// <summary>Wiedervorlage.</summary>
    FollowUp,

    /// <summary>Termin.</summary>
    Appointment,

    /// <summary>Geplante Fallbesprechung.</summary>
    Review,

    /// <summary>Geplante Fallkonferenz.</summary>
    Conference,
}

/// <summary>
/// A follow-up or appointment (Wiedervorlage, Termin) with its due date and assignee; a planned review or conference
/// is done when it is recorded.
/// </summary>
public sealed class FollowUp
{
    public Guid Id { get; init; }

    public Guid CaseId { get; init; }

    public FollowUpKind Kind { get; init; }

    public string? Title { get; set; }

    public DateOnly DueOn { get; set; }

    /// <summary>Local time (Europe/Berlin) of an appointment; null for a whole-day follow-up.</summary>
    public TimeOnly? DueTime { get; set; }

    public required string AssignedTo { get; set; }

    public DateTime CreatedAt { get; init; }

    public required string CreatedBy { get; init; }

    public DateTime? DoneAt { get; set; }

    public string? DoneBy { get; set; }

    /// <summary>The review that fulfilled a planned review or conference.</summary>
    public Guid? ReviewId { get; set; }
}

/// <summary>A correction of a client's data: which fields changed, when, by whom, why; the former values encrypted.</summary>
public sealed class ClientChange
{
    public Guid Id { get; init; }

    public Guid ClientId { get; init; }

    public Guid CaseId { get; init; }

    public List<string> Fields { get; init; } = [];

    /// <summary>AES-GCM ciphertext of the former values, bound to this change's id; null once anonymised.</summary>
    public string? ProtectedPrevious { get; set; }

    public string? Reason { get; set; }

    public DateTime At { get; init; }

    public required string By { get; init; }
}

/// <summary>One keyed hash of a name prefix of a client: the blind index that search by the beginning of a name uses.</summary>
public sealed class ClientNameToken
{
    public Guid ClientId { get; init; }

    public required string Hash { get; init; }
}
