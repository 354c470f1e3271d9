using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kim.ServiceDefaults.Persistence;

/// <summary>
/// Settings every SQLite connection needs, applied on each open (both pragmas hold per connection):
/// <list type="bullet">
/// <item>Deleted and overwritten content is zeroed (<c>PRAGMA secure_delete</c>): erased personal data leaves no
/// bytes in free pages of the database file. Together with <see cref="CheckpointAsync"/> after an erasure, it leaves
/// none in the write-ahead log either.</item>
/// <item>A writer that finds the database locked waits inside SQLite (<c>PRAGMA busy_timeout</c>), which retries
/// within a few milliseconds of a short lock's release (a long one is polled every 100 ms). Without it
/// Microsoft.Data.Sqlite retries on its own after sleeping 150 ms each time, so every collision of two writers (a
/// request, the outbox dispatcher, a consumer) added 150 ms to somebody's answer or event. The checkpoint after an
/// erasure is the exception: it tries once (<see cref="CheckpointAsync"/>).</item>
/// </list>
/// </summary>
public sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    /// <summary>How long SQLite itself waits for a lock before the driver's own retries (until the command timeout) take over.</summary>
    public const int BusyTimeoutMilliseconds = 5_000;

    private static readonly string BusyTimeoutPragma = FormattableString.Invariant($"PRAGMA busy_timeout={BusyTimeoutMilliseconds};");

    private static readonly string Pragma = "PRAGMA secure_delete=ON; " + BusyTimeoutPragma;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Copies the write-ahead log into the database file and truncates it to zero bytes, so that earlier page
    /// versions (which held erased content) are gone. Returns false when readers kept it from completing; call again later.
    /// Does nothing (and returns true) on other databases than SQLite.
    /// </summary>
    public static async Task<bool> CheckpointAsync(DbContext db, CancellationToken cancellationToken)
    {
        if (!db.Database.IsSqlite())
        {
            return true;
        }

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // Try once: a checkpoint waits on the busy handler while it holds the log's write lock, so with the
            // connection's busy timeout an open reader would keep every writer out for that long.
            await using (var noWait = connection.CreateCommand())
            {
                noWait.CommandText = "PRAGMA busy_timeout=0;";
                await noWait.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            // One row: busy (1 when readers or writers blocked the checkpoint), pages in the log, pages checkpointed.
            return await reader.ReadAsync(cancellationToken) && reader.GetInt32(0) == 0;
        }
        finally
        {
            await using (var restore = connection.CreateCommand())
            {
                restore.CommandText = BusyTimeoutPragma;
                await restore.ExecuteNonQueryAsync(CancellationToken.None);
            }

            await db.Database.CloseConnectionAsync();
        }
    }
}
