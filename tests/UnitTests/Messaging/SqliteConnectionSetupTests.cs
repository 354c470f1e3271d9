using Kim.ServiceDefaults.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Kim.UnitTests.Messaging;

public sealed class SqliteConnectionSetupTests : IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), $"connection-setup-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task Every_connection_zeroes_deleted_content_and_waits_inside_SQLite_for_a_lock()
    {
        var options = new DbContextOptionsBuilder<OutboxOnlyDbContext>()
            .UseSqlite($"Data Source={file}")
            .AddInterceptors(new SqliteConnectionSetup())
            .Options;

        // Twice: the second open takes the pooled connection again, and the pragmas must hold there as well.
        for (var open = 0; open < 2; open++)
        {
            await using var db = new OutboxOnlyDbContext(options);
            await db.Database.OpenConnectionAsync();
            Assert.Equal(1L, await PragmaAsync(db, "secure_delete"));
            Assert.Equal(SqliteConnectionSetup.BusyTimeoutMilliseconds, await PragmaAsync(db, "busy_timeout"));
            await db.Database.CloseConnectionAsync();
        }
    }

    [Fact]
    public async Task A_connection_without_the_setup_has_neither()
    {
        var options = new DbContextOptionsBuilder<OutboxOnlyDbContext>().UseSqlite($"Data Source={file}").Options;
        await using var db = new OutboxOnlyDbContext(options);
        await db.Database.OpenConnectionAsync();
        Assert.Equal(0L, await PragmaAsync(db, "secure_delete"));
        Assert.Equal(0L, await PragmaAsync(db, "busy_timeout"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(file);
    }

    private static async Task<long> PragmaAsync(DbContext db, string pragma)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {pragma};";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
