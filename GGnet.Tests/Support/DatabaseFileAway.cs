using Microsoft.Data.Sqlite;

namespace GGnet.Tests.Support;

/// <summary>
/// A running app loses its SQLite database, as when its disk goes away: ggnet.db is swapped for a folder in one step and
/// the pooled connections, still holding the old file open, are closed, so the next open fails ("unable to open database
/// file"). A background writer opening the path meanwhile finds the file or the folder, never nothing (where SQLite would
/// make a new, empty database that later requests would read). Disposing swaps the file back.
/// </summary>
public sealed class DatabaseFileAway : IDisposable
{
    private readonly string _database;

    private DatabaseFileAway(string database) => _database = database;

    public static DatabaseFileAway Begin(string dataDirectory)
    {
        var database = Path.Combine(dataDirectory, "ggnet.db");
        Directory.CreateDirectory(database + ".away");
        FileSwap.Exchange(database, database + ".away");
        SqliteConnection.ClearAllPools();
        return new DatabaseFileAway(database);
    }

    public void Dispose()
    {
        FileSwap.Exchange(_database, _database + ".away");
        Directory.Delete(_database + ".away");
        SqliteConnection.ClearAllPools();
    }
}
