namespace Kim.NetworkService.Infrastructure;

/// <summary>Times are stored in UTC, but read back from the database without their kind; responses mark them as UTC again.</summary>
internal static class UtcTime
{
    public static DateTime Of(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    public static DateTime? Of(DateTime? value) => value is { } v ? Of(v) : null;
}
