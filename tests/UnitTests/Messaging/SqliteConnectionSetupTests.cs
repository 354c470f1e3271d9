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

    [Fact]
    public async Task The_checkpoint_after_an_erasure_tries_once_while_a_reader_holds_the_log_and_keeps_the_busy_timeout_for_later_commands()
    {
        var options = new DbContextOptionsBuilder<OutboxOnlyDbContext>()
            .UseSqlite($"Data Source={file}")
            .AddInterceptors(new SqliteConnectionSetup())
            .Options;
        await using var db = new OutboxOnlyDbContext(options);
        await db.Database.OpenConnectionAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL; CREATE TABLE Notes (Text TEXT); INSERT INTO Notes VALUES ('erased');");

        // Another connection reads in a transaction: its snapshot needs the log, so the log cannot be truncated.
        await using var reader = new SqliteConnection($"Data Source={file}");
        await reader.OpenAsync();
        using var readTransaction = reader.BeginTransaction(deferred: true);
        await using (var read = reader.CreateCommand())
        {
            read.Transaction = readTransaction;
            read.CommandText = "SELECT count(*) FROM Notes;";
            Assert.Equal(1L, await read.ExecuteScalarAsync());
        }

        await db.Database.ExecuteSqlRawAsync("DELETE FROM Notes;");

        Assert.False(await SqliteConnectionSetup.CheckpointAsync(db, CancellationToken.None));
        // The checkpoint ran without SQLite's busy handler (it would wait holding the log's write lock); the
        // connection, still open, waits for locks again for everything after it.
        Assert.Equal(SqliteConnectionSetup.BusyTimeoutMilliseconds, await PragmaAsync(db, "busy_timeout"));

        readTransaction.Rollback();
        Assert.True(await SqliteConnectionSetup.CheckpointAsync(db, CancellationToken.None));
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
