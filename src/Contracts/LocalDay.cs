namespace Kim.Contracts;

/// <summary>
/// The calendar of the municipalities: instants are stored in UTC, but every day a person types or reads
/// (today, a meeting's day, a deadline) is a day in Europe/Berlin. Between 22:00 and 24:00 UTC the two differ.
/// </summary>
public static class LocalDay
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>The Berlin calendar day of a UTC instant.</summary>
    public static DateOnly Of(DateTime utc) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone));

    /// <summary>Today in Berlin by the given clock.</summary>
    public static DateOnly Today(TimeProvider clock) => Of(clock.GetUtcNow().UtcDateTime);
}
