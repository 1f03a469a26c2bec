using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace GGnet.Infrastructure.Persistence;

/// <summary>Where GGnet keeps its data. Section <c>Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>The section as configured, for the composition code that must choose before options exist (the job store, the cluster locks).</summary>
    public static DatabaseOptions From(IConfiguration configuration) => configuration.GetSection(Section).Get<DatabaseOptions>() ?? new DatabaseOptions();

    /// <summary><c>Sqlite</c> (embedded, the default) or <c>Postgres</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>For PostgreSQL: an Npgsql connection string. For SQLite: optional; defaults to ggnet.db in the data directory.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Directory for the embedded database and other state.</summary>
    [Required]
    public string DataDirectory { get; set; } = "/var/lib/ggnet";

    public string SqliteConnectionString =>
        string.IsNullOrWhiteSpace(ConnectionString)
            ? $"Data Source={Path.Combine(Path.GetFullPath(DataDirectory), "ggnet.db")};Cache=Shared;Pooling=True"
            : ConnectionString;
}
