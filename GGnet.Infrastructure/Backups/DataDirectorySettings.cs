using System.Text.Json;
using GGnet.Infrastructure.Boot;
using GGnet.Infrastructure.Files;
using GGnet.Infrastructure.Lab;
using Microsoft.Extensions.Configuration;

namespace GGnet.Infrastructure.Backups;

/// <summary>
/// The settings files GGnet writes into its data directory from the Settings page: <c>network.json</c> may set only
/// the boot network (<c>Network:*</c>), <c>mode.json</c> only the mode (<c>Lab:Enabled</c>), <c>chap.json</c> only the
/// server-wide CHAP policy (<c>Iscsi:Chap</c>). Anything else in them —
/// a command such as <c>Dhcp:RestartCommand</c> or a program path, from a tampered file or backup — is never read,
/// and a restore refuses a backup that carries it.
/// </summary>
public static class DataDirectorySettings
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    /// <summary>Writes one of these files (atomically), e.g. <c>new { Lab = new { Enabled = true } }</c> as mode.json.</summary>
    public static Task WriteAsync(string dataDirectory, string fileName, object settings, CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(Path.Combine(dataDirectory, fileName), JsonSerializer.SerializeToUtf8Bytes(settings, Indented), cancellationToken);

    /// <summary>The keys a data-directory settings file may set, by file name.</summary>
    public static bool IsAllowed(string fileName, string key) => fileName switch
    {
        BootNetwork.FileName => key.StartsWith("Network:", StringComparison.OrdinalIgnoreCase),
        ModeFile.FileName => key.Equals("Lab:Enabled", StringComparison.OrdinalIgnoreCase),
        Iscsi.ChapFile.FileName => key.Equals("Iscsi:Chap", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>The file's settings GGnet reads (the allowed keys only); empty when the file is not there.</summary>
    public static IReadOnlyDictionary<string, string?> Read(string path) =>
        All(path).Where(pair => IsAllowed(Path.GetFileName(path), pair.Key)).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.OrdinalIgnoreCase);

    /// <summary>The keys in the file that it may not set.</summary>
    public static IReadOnlyList<string> Forbidden(string path) =>
        All(path).Select(pair => pair.Key).Where(key => !IsAllowed(Path.GetFileName(path), key)).Order(StringComparer.Ordinal).ToList();

    // Every leaf key of the JSON file, as configuration reads it (Section:Key).
    private static List<KeyValuePair<string, string?>> All(string path) =>
        !File.Exists(path)
            ? []
            : new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false).Build()
                .AsEnumerable().Where(pair => pair.Value is not null).ToList();
}
