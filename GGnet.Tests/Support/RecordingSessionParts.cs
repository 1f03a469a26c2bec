using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Iscsi;
using GGnet.Core.Ports;
using GGnet.Core.Storage;

namespace GGnet.Tests.Support;

/// <summary>
/// A session's parts in memory (its disk, its iSCSI target, the PC's TFTP script), each writing what it did to one
/// shared log in order, and each able to fail on purpose: for the provisioning's steps and their undo. Safe for a
/// batch's sessions worked at once (each change under one lock).
/// </summary>
public sealed class RecordingSessionParts : IDiskCloner, IIscsiBackend, IBootFileStore, IBootNetwork
{
    public List<string> Log { get; } = [];

    public Dictionary<string, string> Files { get; } = [];

    public HashSet<string> Disks { get; } = [];

    public HashSet<Iqn> Targets { get; } = [];

    /// <summary>The step that fails, with this message: "clone", "target", "script" or "delete target".</summary>
    public string? FailAt { get; set; }

    /// <summary>With <see cref="FailAt"/>: only the step whose log line has this text fails (one session of a batch).</summary>
    public string? FailOnlyFor { get; set; }

    /// <summary>Runs as a target is made: something else happening meanwhile.</summary>
    public Action? WhileMakingTheTarget { get; set; }

    private readonly Lock _gate = new();

    private void Step(string step, string what, Action done)
    {
        lock (_gate)
        {
            if (FailAt == step && (FailOnlyFor is null || what.Contains(FailOnlyFor, StringComparison.Ordinal)))
            {
                Log.Add($"{what} failed");
                throw new IOException($"{step} broke on purpose");
            }
            Log.Add(what);
            done();
        }
    }

    private void Record(string what, Action done)
    {
        lock (_gate)
        {
            Log.Add(what);
            done();
        }
    }

    // The disk
    public string PathFor(int sessionId) => $"/disks/session-{sessionId}.img";

    public string DataPathFor(int sessionId, int number) => $"/disks/session-{sessionId}-data-{number}.img";

    public string TrialPathFor(int versionId) => $"/disks/trial-{versionId}.img";

    public Task CloneAsync(DiskFile source, string destinationPath, CancellationToken cancellationToken, IProgress<double>? progress = null)
    {
        Step("clone", $"clone {destinationPath}", () => Disks.Add(destinationPath));
        return Task.CompletedTask;
    }

    public Task<DiskServing> ServeAsync(string path, CancellationToken cancellationToken) => Task.FromResult(DiskServing.AlreadyServed);

    public Task<bool> IsServedAsync(string path, CancellationToken cancellationToken) => Task.FromResult(Disks.Contains(path));

    public Task ReleaseAsync(string path, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<DiskFile> DataOfAsync(string path, CancellationToken cancellationToken) => Task.FromResult(new DiskFile(path, GGnet.Core.Domain.Images.DiskFormat.Raw));

    public Task<bool> ExistsAsync(string path, CancellationToken cancellationToken) => Task.FromResult(Disks.Contains(path));

    /// <summary>What each disk wrote of its own, by path (none by default).</summary>
    public Dictionary<string, long> OwnBytes { get; } = [];

    public Task<long> OwnBytesAsync(string path, CancellationToken cancellationToken) => Task.FromResult(OwnBytes.GetValueOrDefault(path));

    public Task ReuseAsync(string keptPath, string destinationPath, CancellationToken cancellationToken) => throw new NotSupportedException("no kept disks here");

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([.. Disks]);

    public Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        Record($"delete {path}", () => Disks.Remove(path));
        return Task.CompletedTask;
    }

    // The target
    public IscsiBackendKind Kind => IscsiBackendKind.Tgt;

    public int DiskLun => 1;

    public Task<BackendAvailability> CheckAsync(CancellationToken cancellationToken) => Task.FromResult(new BackendAvailability(true, "in memory"));

    /// <summary>What the latest target was made with.</summary>
    public IscsiTargetSpec? LastSpec { get; private set; }

    public Task CreateTargetAsync(IscsiTargetSpec spec, CancellationToken cancellationToken)
    {
        LastSpec = spec;
        WhileMakingTheTarget?.Invoke();
        Step("target", $"target {spec.Target}", () => Targets.Add(spec.Target));
        return Task.CompletedTask;
    }

    public Task DeleteTargetAsync(Iqn target, CancellationToken cancellationToken)
    {
        Step("delete target", $"delete target {target}", () => Targets.Remove(target));
        return Task.CompletedTask;
    }

    /// <summary>What the backend lists: targets with their logins, as a test sets them.</summary>
    public List<IscsiTargetState> Listed { get; } = [];

    /// <summary>How many times the targets were listed.</summary>
    public int Listings { get; private set; }

    public Task<IReadOnlyList<IscsiTargetState>> ListTargetsAsync(CancellationToken cancellationToken)
    {
        Listings++;
        return Task.FromResult<IReadOnlyList<IscsiTargetState>>([.. Listed]);
    }

    /// <summary>The PCs' connections as the kernel would list them, as a test sets them; null: the backend can't tell.</summary>
    public IscsiSockets? Sockets { get; set; }

    public Task<IscsiSockets?> ReadSocketsAsync(CancellationToken cancellationToken) => Task.FromResult(Sockets);

    public Task AdmitOnlyAsync(Iqn target, Ipv4Address address, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ListenOnlyOnAsync(Ipv4Address address, CancellationToken cancellationToken) => Task.CompletedTask;

    // The TFTP root
    public Task<bool> WriteAsync(string relativePath, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var text = System.Text.Encoding.UTF8.GetString(content.Span);
        Step("script", $"script {relativePath} {(text.Contains("sanboot", StringComparison.Ordinal) ? "with" : "without")} a disk", () => Files[relativePath] = text);
        return Task.FromResult(true);
    }

    Task<bool> IBootFileStore.DeleteAsync(string relativePath, CancellationToken cancellationToken) => Task.FromResult(Files.Remove(relativePath));

    public Task<DateTime?> ReadSinceWrittenAsync(string relativePath, CancellationToken cancellationToken) => Task.FromResult<DateTime?>(null);

    Task<IReadOnlyList<string>> IBootFileStore.ListAsync(string relativeFolder, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(Files.Keys.Where(k => k.StartsWith(relativeFolder, StringComparison.Ordinal)).ToList());

    // The boot network
    public NetworkSettings? Settings { get; } = BootSamples.Network();

    public IReadOnlyList<string> Problems { get; } = [];

    public IqnNaming Naming { get; } = new(Iqn.Parse("iqn.2024-01.net.ggnet"));
}
