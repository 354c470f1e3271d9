using Kim.NetworkService.Infrastructure;
using Kim.ServiceDefaults.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Kim.NetworkService.FunctionalTests;

/// <summary>Which failed saves count as a lost race (answered 409) and which are errors of the database (thrown).</summary>
public sealed class ConcurrentSaveTests
{
    [Theory]
    [InlineData(19, 2067, true)] // unique index
    [InlineData(19, 1555, true)] // primary key
    [InlineData(19, 787, false)] // foreign key
    [InlineData(19, 1299, false)] // not null
    [InlineData(19, 1811, false)] // raised by a trigger
    [InlineData(13, 13, false)] // database or disk full
    [InlineData(10, 522, false)] // input/output error
    public void Only_a_taken_unique_key_among_database_errors_is_a_lost_race(int errorCode, int extendedErrorCode, bool lostRace) =>
        Assert.Equal(lostRace, ConcurrentSave.IsLostRace(new DbUpdateException("save failed", new SqliteException("failed", errorCode, extendedErrorCode))));

    [Fact]
    public void A_changed_concurrency_token_is_a_lost_race_and_an_error_without_cause_is_not()
    {
        Assert.True(ConcurrentSave.IsLostRace(new DbUpdateConcurrencyException("0 rows affected")));
        Assert.False(ConcurrentSave.IsLostRace(new DbUpdateException("save failed")));
        Assert.False(ConcurrentSave.IsLostRace(new DbUpdateException("save failed", new InvalidOperationException("no connection"))));
    }
}
