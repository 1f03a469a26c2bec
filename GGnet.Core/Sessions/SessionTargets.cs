using GGnet.Core.Boot;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Images;
using GGnet.Core.Iscsi;
using GGnet.Core.Ports;

namespace GGnet.Core.Sessions;

/// <summary>
/// A session's own iSCSI target on its disk: made by a session start (its second step), made again by reconcile when it
/// was lost. The one place that says what the backend is asked for.
/// </summary>
public sealed class SessionTargets(IBootNetwork network, MachineChap chap, IIscsiBackend iscsi, IImportFolder importFolder, IDiskCloner disks)
{
    /// <summary>The LUN the disk is on, in this backend.</summary>
    public int DiskLun => iscsi.DiskLun;

    /// <summary>
    /// The target with the machine's new CHAP credentials (renewed by <see cref="MachineChap.RenewSecretsAsync"/>; and an
    /// install's ISO beside the disk), attached to the session; its undo is pushed. Returns the credentials, null without CHAP.
    /// </summary>
    public async Task<ChapCredentials?> CreateAsync(Session session, Machine machine, string disk, Stack<Func<Task>> undo, CancellationToken cancellationToken)
    {
        var target = network.Naming.TargetForSession(session.Id);
        var credentials = chap.ForNewTarget(machine, session.Type);
        await iscsi.CreateTargetAsync(SpecOf(session, target, disk, machine, credentials, InstallMedia.PathOf(importFolder, session.InstallMedium)), cancellationToken);
        undo.Push(() => iscsi.DeleteTargetAsync(target, CancellationToken.None));
        session.AttachTarget(new Target(target, disk, iscsi.Kind, iscsi.DiskLun, credentials?.User, credentials?.IsMutual ?? false));
        return credentials;
    }

    /// <summary>
    /// A running session's target made again as it was (its CHAP secrets, its PC's address), after tgtd lost it or its
    /// disk's export restarted. An install's ISO gone meanwhile is left out: the disk is served all the same (it may hold a
    /// half-done install), and the PC's script says that the installer could not be booted.
    /// </summary>
    public Task RecreateAsync(Session session, Target target, Machine machine, CancellationToken cancellationToken)
    {
        string? medium;
        try
        {
            medium = InstallMedia.PathOf(importFolder, session.InstallMedium);
        }
        catch (IOException)
        {
            medium = null;
        }
        return iscsi.CreateTargetAsync(SpecOf(session, target.Iqn, target.LunPath, machine, chap.ForTarget(machine, target.ChapUser, target.ChapMutual), medium),
            cancellationToken);
    }

    // What the backend is asked for: the disk, the PC's initiator name and address, CHAP, an install's ISO, the data disks.
    private IscsiTargetSpec SpecOf(Session session, Domain.Iqn target, string disk, Machine machine, ChapCredentials? credentials, string? installMedium) =>
        new(target, disk, network.Naming.InitiatorFor(machine), credentials, machine.IpAddress, installMedium, SessionDisks.DataPathsOf(disks, session));

    /// <summary>What the audit says of a session's target: "target=… disk=… backend=Tgt chap=one-way".</summary>
    public string Describe(Session session, ChapCredentials? credentials)
    {
        var chapUsed = credentials is null ? "off" : credentials.IsMutual ? "mutual" : "one-way";
        var data = session.UpdatesDataImage ? " boots=system-copy" : session.DataImageVersionIds.Count == 0 ? "" : $" data-disks={session.DataImageVersionIds.Count}";
        return $"target={session.Target!.Iqn} disk={session.Target.LunPath}{data} backend={iscsi.Kind} chap={chapUsed}";
    }
}
