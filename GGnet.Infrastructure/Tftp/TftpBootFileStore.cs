using GGnet.Core.Ports;
using GGnet.Infrastructure.Boot;
using GGnet.Infrastructure.Files;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Tftp;

/// <summary>The TFTP root that tftpd-hpa serves. Every path is checked to stay inside it.</summary>
public sealed class TftpBootFileStore(IOptions<BootOptions> options) : IBootFileStore
{
    private readonly string _root = Path.GetFullPath(options.Value.TftpRoot).TrimEnd('/');

    public async Task<bool> WriteAsync(string relativePath, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var path = Resolve(relativePath);
        if (await AtomicFile.HoldsAsync(path, content, cancellationToken))
        {
            return false;
        }
        // Everything here is derived from the database and written again at start-up (SyncBootFiles).
        await AtomicFile.WriteDerivedAsync(path, content, cancellationToken);
        return true;
    }

    public Task<bool> DeleteAsync(string relativePath, CancellationToken cancellationToken)
    {
        var path = Resolve(relativePath);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }
        File.Delete(path);
        return Task.FromResult(true);
    }

    public Task<DateTime?> ReadSinceWrittenAsync(string relativePath, CancellationToken cancellationToken)
    {
        var file = new FileInfo(Resolve(relativePath));
        return Task.FromResult<DateTime?>(file.Exists && file.LastAccessTimeUtc > file.LastWriteTimeUtc ? file.LastAccessTimeUtc : null);
    }

    public Task<IReadOnlyList<string>> ListAsync(string relativeFolder, CancellationToken cancellationToken)
    {
        var folder = Resolve(relativeFolder);
        IReadOnlyList<string> names = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>().Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal).ToList()
            : [];
        return Task.FromResult(names);
    }

    /// <summary>The full path of a file under the root; anything that would leave the root is refused.</summary>
    public string Resolve(string relativePath)
    {
        if (string.IsNullOrWhiteSpace(relativePath) || Path.IsPathRooted(relativePath) || relativePath.Contains('\0', StringComparison.Ordinal)
            || relativePath.Split('/', '\\').Any(part => part is ".." or "."))
        {
            throw new ArgumentException($"'{relativePath}' is not a path inside the TFTP root.", nameof(relativePath));
        }
        var full = Path.GetFullPath(Path.Combine(_root, relativePath));
        if (!full.StartsWith(_root + "/", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{relativePath}' is not a path inside the TFTP root.", nameof(relativePath));
        }
        return full;
    }
}
