using System.Globalization;
using Npgsql;

namespace GGnet.Infrastructure.Backups;

/// <summary>How pg_dump and pg_restore reach GGnet's PostgreSQL database: through libpq's environment, so the password
/// never appears on a command line, in the process list or in the log.</summary>
public static class PostgresClient
{
    public const string DumpFile = "ggnet.pgdump";

    public static IReadOnlyDictionary<string, string?> Environment(string connectionString)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        return new Dictionary<string, string?>
        {
            ["PGHOST"] = connection.Host,
            ["PGPORT"] = connection.Port.ToString(CultureInfo.InvariantCulture),
            ["PGUSER"] = connection.Username,
            ["PGPASSWORD"] = connection.Password,
            ["PGDATABASE"] = connection.Database,
        };
    }
}
