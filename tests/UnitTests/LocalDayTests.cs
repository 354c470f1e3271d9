using Kim.Contracts;

namespace Kim.UnitTests;

public sealed class LocalDayTests
{
    [Theory]
    [InlineData("2026-12-01T22:59:00Z", "2026-12-01")] // 23:59 CET
    [InlineData("2026-12-01T23:00:00Z", "2026-12-02")] // midnight CET
    [InlineData("2026-07-01T21:59:00Z", "2026-07-01")] // 23:59 CEST
    [InlineData("2026-07-01T22:00:00Z", "2026-07-02")] // midnight CEST
    public void A_UTC_instant_falls_on_the_day_the_clocks_in_Berlin_show(string utc, string day) =>
        Assert.Equal(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture),
            LocalDay.Of(DateTime.Parse(utc, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal)));
}
