using GGnet.Core.Boot;
using GGnet.Core.Domain;

namespace GGnet.Core.Iscsi;

/// <summary>
/// One session's target: LUN 1 backed by the disk file, reachable only by the machine's initiator name, or, where
/// the PC's address is known, only from that address (tgt; LIO's ACLs name initiators only).
/// </summary>
/// <param name="InstallMediumPath">An install session's ISO: a read-only CD-ROM on the LUN after the disk
/// (<see cref="Images.InstallMedia.LunAfter"/>), behind the same ACL and CHAP as the disk.</param>
/// <param name="DataDiskPaths">The session's copies of its data images, in order, on the LUNs after the disk
/// (<see cref="Images.DataDisks.LunOf"/>); never with an install medium.</param>
public sealed record IscsiTargetSpec(Iqn Target, string LunPath, Iqn AllowedInitiator, ChapCredentials? Chap, Ipv4Address? AllowedAddress = null,
    string? InstallMediumPath = null, IReadOnlyList<string>? DataDiskPaths = null)
{
    /// <summary>Every disk file the target serves read-write: the system disk, then the data disks.</summary>
    public IReadOnlyList<string> DiskPaths => [LunPath, .. DataDiskPaths ?? []];
}

/// <summary>A target as the backend reports it, with the initiators connected right now.</summary>
public sealed record IscsiTargetState(Iqn Target, IReadOnlyList<string> LunPaths, IReadOnlyList<string> AllowedInitiators, IReadOnlyList<IscsiConnection> Connections);

/// <summary>An initiator logged in to a target (tgt calls it an I_T nexus).</summary>
/// <param name="Login">The backend's id of this login (tgt's I_T nexus number): a PC's firmware and then its OS log in with the
/// same initiator name, and only this tells the two apart. Null where the backend does not say.</param>
public sealed record IscsiConnection(string Initiator, string? Address, string? Login = null);

/// <summary>
/// The PCs' TCP connections to the target daemon, as the server's kernel lists them: how many, and a key that changes
/// whenever one of them comes or goes. A login is one connection; a connection not yet logged in (or only looking the
/// targets up) is one too, and is counted here before the target lists it.
/// </summary>
public sealed record IscsiSockets(int Count, string Key);

/// <summary>Whether a backend can work on this server, and if not, one sentence saying why and what to do.</summary>
public sealed record BackendAvailability(bool Available, string Explanation);
