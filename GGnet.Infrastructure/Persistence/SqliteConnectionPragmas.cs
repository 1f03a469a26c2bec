using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace GGnet.Infrastructure.Persistence;

/// <summary>
/// What every SQLite connection is set to when it opens (both are settings of the connection, not of the file):
/// <list type="bullet">
/// <item><c>synchronous=NORMAL</c>: with write-ahead logging the log is synced at checkpoints instead of at every commit;
/// a crash of GGnet loses nothing, a power cut may lose the last moments' changes (SQLite's recommended setting for WAL).</item>
/// <item><c>busy_timeout</c>: a write that finds another one under way waits inside SQLite, a few milliseconds at a time,
/// for it to commit. Without it SQLite answers "busy" at once and Microsoft.Data.Sqlite sleeps 150 ms before it tries
/// again, a pause that the concurrent writes of a bulk start (four sessions at a time) could each meet.</item>
/// </list>
/// </summary>
internal sealed class SqliteConnectionPragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
