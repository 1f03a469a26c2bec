using GGnet.Core.Domain;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Iscsi;
using GGnet.Core.Ports;

namespace GGnet.Tests.Support;

/// <summary>An iSCSI backend whose daemon is not running: it says so, and holds no targets.</summary>
public sealed class DownIscsiBackend : IIscsiBackend
{
    public const string Why = "tgtd is not running: start it with systemctl start tgt.";

    public IscsiBackendKind Kind => IscsiBackendKind.Tgt;

    public int DiskLun => 1;

    public Task<BackendAvailability> CheckAsync(CancellationToken cancellationToken) => Task.FromResult(new BackendAvailability(false, Why));

    public Task CreateTargetAsync(IscsiTargetSpec spec, CancellationToken cancellationToken) => throw new IOException(Why);

    public Task DeleteTargetAsync(Iqn target, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<IscsiTargetState>> ListTargetsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<IscsiTargetState>>([]);

    public Task AdmitOnlyAsync(Iqn target, Ipv4Address address, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ListenOnlyOnAsync(Ipv4Address address, CancellationToken cancellationToken) => Task.CompletedTask;
}
