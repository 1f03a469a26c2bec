namespace GGnet.Core.Ports;

/// <summary>Where backups are made and kept: the database, the settings and the login keys in one dated archive each.</summary>
public interface IBackupArchive
{
    Task<BackupInfo> CreateAsync(CancellationToken cancellationToken);

    /// <summary>The backups there are, newest first.</summary>
    IReadOnlyList<BackupInfo> List();

    void Delete(BackupInfo backup);

    /// <summary>The archive's file, for download; null when there is no backup of that name.</summary>
    string? PathOf(string name);
}

/// <summary>One archive: its file name, when it was made, how big it is.</summary>
public sealed record BackupInfo(string Name, DateTime At, long Bytes);
