using Kim.Contracts.Cases;

namespace Kim.UnitTests;

public sealed class AgeBandTests
{
    [Theory]
    [InlineData("2010-06-15", "2026-06-15", "0-17")]
    [InlineData("2008-06-16", "2026-06-15", "0-17")]
    [InlineData("2008-06-15", "2026-06-15", "18-26")]
    [InlineData("1999-06-16", "2026-06-15", "18-26")]
    [InlineData("1999-06-15", "2026-06-15", "27-44")]
    [InlineData("1981-06-15", "2026-06-15", "45-64")]
    [InlineData("1961-06-16", "2026-06-15", "45-64")]
    [InlineData("1961-06-15", "2026-06-15", "65+")]
    [InlineData("2008-02-29", "2026-02-28", "0-17")]
    [InlineData("2008-02-29", "2026-03-01", "18-26")]
    public void Age_band_changes_exactly_on_the_birthday(string birthDate, string onDate, string band) =>
        Assert.Equal(band, AgeBands.Of(DateOnly.Parse(birthDate), DateOnly.Parse(onDate)));

    [Fact]
    public void Bands_are_listed_in_ascending_order_and_cover_every_result()
    {
        var results = Enumerable.Range(0, 110)
            .Select(age => AgeBands.Of(new DateOnly(2026, 1, 1).AddYears(-age), new DateOnly(2026, 1, 1)))
            .Distinct()
            .ToList();
        Assert.Equal(AgeBands.All, results);
    }
}
