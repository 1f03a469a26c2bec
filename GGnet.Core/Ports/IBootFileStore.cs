namespace GGnet.Core.Ports;

/// <summary>The TFTP root: files appear whole (written aside, then renamed) and never outside the root.</summary>
public interface IBootFileStore
{
    /// <summary>Writes the file unless it already holds exactly these bytes; returns whether it changed.</summary>
    Task<bool> WriteAsync(string relativePath, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string relativePath, CancellationToken cancellationToken);

    /// <summary>
    /// When the file was last read after it was last written (its access time, when newer than its write
    /// time), or null: how a TFTP download of a machine's script is noticed.
    /// </summary>
    Task<DateTime?> ReadSinceWrittenAsync(string relativePath, CancellationToken cancellationToken);

    /// <summary>File names directly in a folder of the root (empty if the folder doesn't exist).</summary>
    Task<IReadOnlyList<string>> ListAsync(string relativeFolder, CancellationToken cancellationToken);
}
