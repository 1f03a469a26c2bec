using GGnet.Core.Domain;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Iscsi;

namespace GGnet.Core.Ports;

/// <summary>Exports session disks over iSCSI: tgt (userspace) or LIO (kernel, via targetcli).</summary>
public interface IIscsiBackend
{
    IscsiBackendKind Kind { get; }

    /// <summary>The LUN that carries the disk: 1 on tgt (LUN 0 is its controller), 0 on LIO.</summary>
    int DiskLun { get; }

    Task<BackendAvailability> CheckAsync(CancellationToken cancellationToken);

    /// <summary>Creates the target, its LUN 1 and its ACL (and CHAP). On failure nothing of it is left behind.</summary>
    Task CreateTargetAsync(IscsiTargetSpec spec, CancellationToken cancellationToken);

    /// <summary>Removes the target even while an initiator is connected; a target that is already gone is not an error.</summary>
    Task DeleteTargetAsync(Iqn target, CancellationToken cancellationToken);

    Task<IReadOnlyList<IscsiTargetState>> ListTargetsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The PCs' connections to the target daemon, read from the kernel without asking the daemon: far cheaper than
    /// <see cref="ListTargetsAsync"/>, which tgt writes on the one thread that moves every PC's disk traffic. Null where
    /// the backend can't tell.
    /// </summary>
    Task<IscsiSockets?> ReadSocketsAsync(CancellationToken cancellationToken) => Task.FromResult<IscsiSockets?>(null);

    /// <summary>
    /// From now on the target admits logins from this address only (the PC proved it is there); nothing when it
    /// already does, when the target is gone, or when the backend can't tell addresses apart (LIO).
    /// </summary>
    Task AdmitOnlyAsync(Iqn target, Ipv4Address address, CancellationToken cancellationToken);

    /// <summary>
    /// The target daemon listens for PCs on this address only (tgt's default is every address of the server); an
    /// address it can't listen on changes nothing and is an <see cref="IscsiBackendException"/>.
    /// </summary>
    Task ListenOnlyOnAsync(Ipv4Address address, CancellationToken cancellationToken);
}
