using GGnet.Infrastructure.Processes;

namespace GGnet.Infrastructure.RootHelper;

/// <summary>What the helper learns of a file without following a link: its owner, its kind as stat(1) names it, and
/// whether users other than its owner and group may read it.</summary>
public sealed record FileFacts(int OwnerUid, string Kind, bool OthersMayRead = false);

/// <summary>The file system as the root helper checks it.</summary>
public interface IHelperFiles
{
    /// <summary>The file itself, not what a link points to; null when there is none.</summary>
    Task<FileFacts?> FactsAsync(string path, CancellationToken cancellationToken);

    /// <summary>The path with every link resolved; null when it does not exist.</summary>
    Task<string?> RealPathAsync(string path, CancellationToken cancellationToken);

    /// <summary>The files a process holds open, by descriptor: what each descriptor's link in /proc names.</summary>
    IReadOnlyDictionary<string, string> OpenFiles(int pid);
}

/// <summary>stat and realpath (coreutils), and /proc.</summary>
public sealed class HelperFiles(ExternalCommand commands) : IHelperFiles
{
    public async Task<FileFacts?> FactsAsync(string path, CancellationToken cancellationToken)
    {
        var stat = await commands.RunAsync("stat", ["--format=%u|%a|%F", "--", path], cancellationToken);
        var parts = stat.StandardOutput.Trim().Split('|', 3);
        return stat.Succeeded && parts.Length == 3 && int.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var uid)
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var mode)
            ? new FileFacts(uid, parts[2], OthersMayRead: mode % 10 >= 4)
            : null;
    }

    public async Task<string?> RealPathAsync(string path, CancellationToken cancellationToken)
    {
        var real = await commands.RunAsync("realpath", ["-e", "--", path], cancellationToken);
        return real.Succeeded ? real.StandardOutput.TrimEnd('\n') : null;
    }

    public IReadOnlyDictionary<string, string> OpenFiles(int pid)
    {
        var open = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var descriptor in new DirectoryInfo($"/proc/{pid.ToString(System.Globalization.CultureInfo.InvariantCulture)}/fd").EnumerateFiles())
            {
                if (descriptor.LinkTarget is { } target)
                {
                    open[descriptor.Name] = target;
                }
            }
        }
        catch (Exception problem) when (problem is IOException or UnauthorizedAccessException)
        {
            // A descriptor closed while it was read: it is no new disk.
        }
        return open;
    }
}
