using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Kim.ServiceDefaults.Persistence;

/// <summary>
/// Saves changes that other writers may make at the same moment (two identical creates, two requests or a request and
/// a background job deciding the same record). Losing such a race is an answer (<c>409</c>), not an error; every
/// other database error is thrown.
/// </summary>
public static class ConcurrentSave
{
    /// <summary>
    /// Saves; false when another writer changed the same row first or took the same unique key. Then nothing is saved
    /// and the change tracker is cleared.
    /// </summary>
    public static async Task<bool> TrySaveAsync(DbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException exception) when (IsLostRace(exception))
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    /// <summary>Another request changed the same thing first; asking again shows its result.</summary>
    public static ProblemHttpResult Problem(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Gleichzeitige Änderung", detail: detail, type: ProblemTypes.ConcurrentChange);

    /// <summary>Whether a failed save lost a race: a concurrency token had changed, or a unique key was taken meanwhile.</summary>
    public static bool IsLostRace(DbUpdateException exception) =>
        exception is DbUpdateConcurrencyException || exception.InnerException switch
        {
            // SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY
            SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555,

            // Duplicate key in a unique index or a unique (or primary key) constraint
            SqlException sqlServer => sqlServer.Number is 2601 or 2627,
            _ => false,
        };
}
