using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace GGnet.Infrastructure.Persistence;

/// <summary>
/// With write-ahead logging, SQLite's <c>synchronous=NORMAL</c> syncs the log at checkpoints instead of at every commit:
/// a crash of GGnet loses nothing, a power cut may lose the last moments' changes (SQLite's recommended setting for WAL).
/// A per-connection setting, so it is made on every open.
/// </summary>
internal sealed class SqliteWalSync : DbConnectionInterceptor
{
    private const string Pragma = "PRAGMA synchronous=NORMAL;";

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
}
