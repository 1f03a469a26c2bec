namespace GGnet.Infrastructure.Persistence;

/// <summary>Where GGnet keeps its data: the embedded SQLite file or a PostgreSQL server.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
