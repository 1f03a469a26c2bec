namespace GGnet.Infrastructure.Backups;

/// <summary>What a backup holds besides the database, by name in the data directory, and how archives are named.</summary>
public static class BackupFiles
{
    public const string Database = "ggnet.db";

    public const string Manifest = "manifest.json";

    /// <summary>The boot network and mode saved on the Settings page.</summary>
    public static readonly string[] Settings = ["network.json", "mode.json", "chap.json"];

    /// <summary>The Data Protection keys: without them logins and encrypted secrets from before the restore don't open.</summary>
    public const string Keys = "keys";

    public const string Prefix = "ggnet-";

    public const string Suffix = ".tar.gz";

    /// <summary>Only names GGnet made itself are archives: "ggnet-20261127-030000-123.tar.gz".</summary>
    public static bool IsArchiveName(string name) =>
        name.Length == Prefix.Length + 19 + Suffix.Length && name.StartsWith(Prefix, StringComparison.Ordinal) && name.EndsWith(Suffix, StringComparison.Ordinal)
        && name[Prefix.Length..^Suffix.Length].All(c => char.IsAsciiDigit(c) || c == '-');
}

/// <summary>What manifest.json in every archive says: that GGnet made it, when, and from which database.</summary>
public sealed record BackupManifest(string MadeBy, DateTime At, string Provider);
