using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kim.ServiceDefaults.Persistence;

/// <summary>
/// Deleted and overwritten SQLite content is zeroed on every connection (<c>PRAGMA secure_delete</c> holds per
/// connection): erased personal data leaves no bytes in free pages of the database file. Together with
/// <see cref="CheckpointAsync"/> after an erasure, it leaves none in the write-ahead log either.
/// </summary>
public sealed class SqliteSecureDelete : DbConnectionInterceptor
{
    private const string Pragma = "PRAGMA secure_delete=ON;";

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
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            // One row: busy (1 when readers or writers blocked the checkpoint), pages in the log, pages checkpointed.
            return await reader.ReadAsync(cancellationToken) && reader.GetInt32(0) == 0;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
