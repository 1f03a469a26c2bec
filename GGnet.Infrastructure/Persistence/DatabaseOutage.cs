using Microsoft.Data.Sqlite;
using Npgsql;

namespace GGnet.Infrastructure.Persistence;

/// <summary>
/// Recognises "the database can't be reached right now" on either provider, wherever it surfaces (raw, or wrapped by
/// EF Core in a DbUpdateException or InvalidOperationException): a SQLite file that can't be opened, read or written,
/// or is locked; a PostgreSQL server that refuses, drops or shuts down connections. Not a bad query, not a conflict.
/// </summary>
public static class DatabaseOutage
{
    // SQLite primary result codes: BUSY, LOCKED, READONLY, IOERR, FULL, CANTOPEN, NOTADB.
    private static readonly HashSet<int> SqliteCodes = [5, 6, 8, 10, 13, 14, 26];

    // PostgreSQL: admin/crash shutdown, starting up, too many connections, no such database, login refused.
    private static readonly HashSet<string> PostgresStates =
        ["57P01", "57P02", "57P03", "53300", "3D000", "28000", "28P01"];

    public static bool Is(Exception? problem) => problem switch
    {
        null => false,
        SqliteException sqlite => SqliteCodes.Contains(sqlite.SqliteErrorCode),
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || PostgresStates.Contains(postgres.SqlState),
        // Client side: refused, reset or timed-out connections (Npgsql calls these transient).
        NpgsqlException npgsql => npgsql.IsTransient || Is(npgsql.InnerException),
        AggregateException many => many.InnerExceptions.Any(Is),
        _ => Is(problem.InnerException),
    };

    /// <summary>The provider's own words, for the log.</summary>
    public static string ReasonOf(Exception problem) =>
        problem is SqliteException or NpgsqlException || problem.InnerException is null ? problem.Message : ReasonOf(problem.InnerException);
}
