using System.Globalization;
using GGnet.Infrastructure.Persistence;
using GGnet.Infrastructure.Processes;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Storage;

/// <summary>The folder of session disks: their names (<c>session-N.img</c> and <c>session-N-data-K.img</c>, whatever the strategy), and what a file allocates.</summary>
public sealed class SessionDiskFolder(IOptions<StorageOptions> storage, IOptions<DatabaseOptions> database, ExternalCommand commands)
{
    public string Directory => storage.Value.DiskFolder(database.Value.DataDirectory);

    public string PathFor(int sessionId) => Path.Combine(Directory, $"session-{sessionId.ToString(CultureInfo.InvariantCulture)}.img");

    /// <summary>A version's test-boot disk: <c>trial-N.img</c>, not a session's, so never listed (reconcile leaves it alone).</summary>
    public string TrialPathFor(int versionId) => Path.Combine(Directory, $"trial-{versionId.ToString(CultureInfo.InvariantCulture)}.img");

    /// <summary>A session's copy of a data image: <c>session-N-data-K.img</c>, listed with the session disks.</summary>
    public string DataPathFor(int sessionId, int number) =>
        Path.Combine(Directory, $"session-{sessionId.ToString(CultureInfo.InvariantCulture)}-data-{number.ToString(CultureInfo.InvariantCulture)}.img");

    /// <summary>Every session disk, by the name the iSCSI target serves (an overlay's data file counts under that name).</summary>
    public Task<IReadOnlyList<string>> ListAsync()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return Task.FromResult<IReadOnlyList<string>>([]);
        }
        IReadOnlyList<string> disks = System.IO.Directory.EnumerateFiles(Directory, "session-*.img")
            .Concat(System.IO.Directory.EnumerateFiles(Directory, "session-*.qcow2").Select(overlay => Path.ChangeExtension(overlay, ".img")))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(disks);
    }

    /// <summary>What the file allocates on disk (du), or its length when du can't tell.</summary>
    public async Task<long> AllocatedBytesAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return 0;
        }
        var allocated = await commands.RunAsync("du", ["-B1", "--", path], cancellationToken);
        return allocated.Succeeded && long.TryParse(allocated.StandardOutput.Split('\t')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) ? bytes : new FileInfo(path).Length;
    }
}
