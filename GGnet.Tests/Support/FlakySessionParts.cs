using GGnet.Core.Domain;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Iscsi;
using GGnet.Core.Ports;

namespace GGnet.Tests.Support;

/// <summary>
/// The real iSCSI backend, except that creating a target fails while <see cref="FailCreate"/> is set, and the next
/// create can be held once the target is made (<see cref="HoldNextCreate"/>).
/// </summary>
public sealed class FlakyIscsiBackend(IIscsiBackend real) : IIscsiBackend
{
    private Hold? hold;

    public bool FailCreate { get; set; }

    /// <summary>The next target created waits, once made, until <paramref name="release"/> completes. The task returned completes when it waits.</summary>
    public Task HoldNextCreate(Task release)
    {
        var next = new Hold(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), release);
        hold = next;
        return next.Reached.Task;
    }

    public IscsiBackendKind Kind => real.Kind;

    /// <summary>Set: the backend says it put the disk on this LUN instead.</summary>
    public int? ReportedLun { get; set; }

    public int DiskLun => ReportedLun ?? real.DiskLun;

    public Task<BackendAvailability> CheckAsync(CancellationToken cancellationToken) => real.CheckAsync(cancellationToken);

    public async Task CreateTargetAsync(IscsiTargetSpec spec, CancellationToken cancellationToken)
    {
        if (FailCreate)
        {
            throw new IscsiBackendException("tgt could not create the target: injected failure");
        }
        await real.CreateTargetAsync(spec, cancellationToken);
        if (Interlocked.Exchange(ref hold, null) is { } held)
        {
            held.Reached.SetResult();
            await held.Release.WaitAsync(cancellationToken);
        }
    }

    public Task DeleteTargetAsync(Iqn target, CancellationToken cancellationToken) => real.DeleteTargetAsync(target, cancellationToken);

    public Task<IReadOnlyList<IscsiTargetState>> ListTargetsAsync(CancellationToken cancellationToken) => real.ListTargetsAsync(cancellationToken);

    public Task AdmitOnlyAsync(Iqn target, Ipv4Address address, CancellationToken cancellationToken) => real.AdmitOnlyAsync(target, address, cancellationToken);

    public Task ListenOnlyOnAsync(Ipv4Address address, CancellationToken cancellationToken) => real.ListenOnlyOnAsync(address, cancellationToken);

    private sealed record Hold(TaskCompletionSource Reached, Task Release);
}

/// <summary>The real TFTP root, except that writing a machine script fails while <see cref="FailMachineScripts"/> is set.</summary>
public sealed class FlakyBootFileStore(IBootFileStore real) : IBootFileStore
{
    public bool FailMachineScripts { get; set; }

    public Task<bool> WriteAsync(string relativePath, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        FailMachineScripts && relativePath.StartsWith("machines/", StringComparison.Ordinal)
            ? throw new IOException("No space left on device (injected)")
            : real.WriteAsync(relativePath, content, cancellationToken);

    public Task<bool> DeleteAsync(string relativePath, CancellationToken cancellationToken) => real.DeleteAsync(relativePath, cancellationToken);

    public Task<DateTime?> ReadSinceWrittenAsync(string relativePath, CancellationToken cancellationToken) => real.ReadSinceWrittenAsync(relativePath, cancellationToken);

    public Task<IReadOnlyList<string>> ListAsync(string relativeFolder, CancellationToken cancellationToken) => real.ListAsync(relativeFolder, cancellationToken);
}
