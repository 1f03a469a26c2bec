using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using GGnet.Core.Domain;
using GGnet.Core.Images;
using GGnet.Infrastructure.RootHelper;

namespace GGnet.Infrastructure.Iscsi.Tgt.Control;

/// <summary>What the helper accepts: GGnet's naming authority, the folder of session disks and the import folder (installer
/// ISOs), from root's own settings.</summary>
public sealed record TgtHelperLimits(Iqn Authority, string DiskFolder, string ImportFolder);

/// <summary>
/// The operations GGnet itself sends to tgtd, and nothing else. The helper runs as root for the service, so a request
/// that passes here is one GGnet could have made: a target named under GGnet's authority (a session's or a test boot's), a session disk of GGnet's
/// folder (a regular file of the caller, no link) as its LUN 1 and an installer ISO of the import folder as a CD-ROM on LUN 2,
/// while the target admits nobody, ACLs by address or
/// initiator name (never ALL), accounts of GGnet's names, portals, and the listings. Everything else is refused.
/// </summary>
public sealed partial class TgtRequestPolicy(TgtHelperLimits limits, ITgtControl tgtd, IHelperFiles files)
{
    /// <returns>null when the request may go to tgtd; else a sentence saying why not.</returns>
    public async Task<string?> RefusalAsync(TgtRequest request, HelperPeer peer, CancellationToken cancellationToken)
    {
        if (request.Parameters().FirstOrDefault(p => p.Value.Length == 0 || p.Value.Length > 512 || p.Value.Any(c => c is ',' or '=' || char.IsControl(c))) is { Name: { } bad })
        {
            return $"The {bad} is empty, too long or holds ',', '=' or a control character.";
        }
        return (request.Mode, request.Operation) switch
        {
            (TgtMode.Target or TgtMode.Portal, TgtOperation.Show) when Only(request) => null,
            (TgtMode.Connection, TgtOperation.Show) => await NotOursAsync(request.Tid, cancellationToken) ?? Extra(request),
            (TgtMode.Connection, TgtOperation.Delete) => await NotOursAsync(request.Tid, cancellationToken) ?? Extra(request),
            (TgtMode.Target, TgtOperation.New) => NewTarget(request),
            (TgtMode.Target, TgtOperation.Delete) => await NotOursAsync(request.Tid, cancellationToken) ?? Extra(request, allowForce: true),
            (TgtMode.Target, TgtOperation.Bind or TgtOperation.Unbind) => await NotOursAsync(request.Tid, cancellationToken) ?? Acl(request),
            (TgtMode.LogicalUnit, TgtOperation.New) => await NewLunAsync(request, peer, cancellationToken),
            (TgtMode.Account, TgtOperation.New) => Account(request, withPassword: true),
            (TgtMode.Account, TgtOperation.Delete) => Account(request, withPassword: false) ?? await AccountOfOthersAsync(request.User!, cancellationToken),
            (TgtMode.Account, TgtOperation.Bind) => await NotOursAsync(request.Tid, cancellationToken) ?? Account(request, withPassword: false, allowOutgoing: true),
            (TgtMode.Portal, TgtOperation.New or TgtOperation.Delete) => Portal(request),
            _ => $"GGnet never asks tgtd to {request.Operation.ToString().ToLowerInvariant()} in {request.Mode.ToString().ToLowerInvariant()} mode.",
        };
    }

    private static bool Only(TgtRequest request, params string[] names) =>
        request.Parameters().All(p => names.Contains(p.Name)) && request.Lun is null && !request.Force && !request.Outgoing;

    private static string? Extra(TgtRequest request, bool allowForce = false, params string[] names) =>
        request.Parameters().All(p => names.Contains(p.Name)) && request.Lun is null && (allowForce || !request.Force) && !request.Outgoing
            ? null
            : "The request carries parameters GGnet never sends with it.";

    private string? NewTarget(TgtRequest request) =>
        request.Tid is not > 0 ? "A new target needs an id above 0."
        : !IsOurs(request.TargetName) ? $"A target's name must start with {limits.Authority}:session. (or :trial. for a test boot)"
        : Extra(request, false, "targetname");

    // A session's target, or a candidate version's test-boot target.
    private bool IsOurs(string? targetName) =>
        targetName is not null && (targetName.StartsWith($"{limits.Authority}:session.", StringComparison.Ordinal)
            || targetName.StartsWith($"{limits.Authority}:trial.", StringComparison.Ordinal)) && Iqn.TryParse(targetName, out _, out _);

    // The tid must name a target GGnet made (by its name).
    private async Task<string?> NotOursAsync(int? tid, CancellationToken cancellationToken)
    {
        if (tid is not > 0)
        {
            return "The request must name one target by its id.";
        }
        var target = await ShowAsync(tid.Value, cancellationToken);
        return target is null ? null : IsOurs(target.State.Target.Value) ? null : $"Target {tid} is not one of GGnet's.";
    }

    // tgtd shows its targets all at once (asked for one by id, it answers nothing the listing's reader knows).
    private async Task<TgtTargetListing.Entry?> ShowAsync(int tid, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(t => t.Tid == tid);

    private static string? Acl(TgtRequest request)
    {
        if (request.InitiatorAddress is { } address)
        {
            return IPAddress.TryParse(address, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && ip.ToString() == address
                ? Extra(request, false, "initiator-address")
                : $"'{address}' is not one IPv4 address: GGnet admits a PC by its own address only (never ALL).";
        }
        return request.InitiatorName is { } name && Iqn.TryParse(name, out _, out _)
            ? Extra(request, false, "initiator-name")
            : "A target admits one PC's address or initiator name (an iqn. name), never ALL.";
    }

    private async Task<string?> NewLunAsync(TgtRequest request, HelperPeer peer, CancellationToken cancellationToken)
    {
        // A CD-ROM is an installer ISO on the LUN after the disk; every disk LUN is a session disk: its own, then its copies.
        var medium = request.DeviceType == TgtDeviceType.Cd;
        var lastDiskLun = (ulong)DataDisks.LunOf(TgtBackend.DiskLunNumber, DataDisks.MaxPerSession);
        if (medium ? request.Lun != (ulong)TgtBackend.MediumLunNumber : request.Lun is not { } lun || lun < TgtBackend.DiskLunNumber || lun > lastDiskLun)
        {
            return $"GGnet attaches a session's disks as LUNs {TgtBackend.DiskLunNumber} to {lastDiskLun} and an installer ISO as LUN {TgtBackend.MediumLunNumber} only.";
        }
        if (request.DeviceType is not (TgtDeviceType.Cd or TgtDeviceType.Disk))
        {
            return "A session disk is attached as a disk, and an installer ISO as a CD-ROM (which refuses writes).";
        }
        if (request.Parameters().Any(p => p.Name != "path") || request.Force || request.Outgoing)
        {
            return "The request carries parameters GGnet never sends with it.";
        }
        var target = request.Tid is > 0 ? await ShowAsync(request.Tid.Value, cancellationToken) : null;
        if (target is null)
        {
            return $"There is no target {request.Tid}.";
        }
        if (!IsOurs(target.State.Target.Value))
        {
            return $"Target {request.Tid} is not one of GGnet's.";
        }
        if (target.State.AllowedInitiators.Count > 0)
        {
            return "A disk is attached only while its target admits nobody yet.";
        }
        return medium ? await MediumRefusalAsync(request.BackingStore, peer, cancellationToken) : await DiskRefusalAsync(request.BackingStore, peer, cancellationToken);
    }

    /// <summary>An installer ISO: a plain <c>*.iso</c> right in the import folder, a regular file (no link, no device) the caller may read.</summary>
    public async Task<string?> MediumRefusalAsync(string? path, HelperPeer peer, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(limits.ImportFolder);
        if (path is null || Path.GetDirectoryName(path) != folder || Path.GetFullPath(path) != path || !InstallMedia.IsName(Path.GetFileName(path)))
        {
            return $"GGnet attaches only installer ISOs (*.iso) right in {folder}.";
        }
        if (await files.RealPathAsync(folder, cancellationToken) != folder)
        {
            return $"The import folder {folder} is reached through a link; the helper attaches nothing from it.";
        }
        var facts = await files.FactsAsync(path, cancellationToken);
        if (facts is null)
        {
            return $"There is no ISO {path}.";
        }
        if (facts.Kind != "regular file")
        {
            return $"{path} is a {facts.Kind}, not an ISO file.";
        }
        return peer.IsRoot || facts.OwnerUid == peer.Uid || facts.OthersMayRead ? null : $"{path} is neither the asking user's nor readable by everyone.";
    }

    /// <summary>
    /// A session disk: <c>session-N.img</c> or a copy beside it, <c>session-N-data-K.img</c>, right in the disk folder, a
    /// regular file (no link, no device) of the caller.
    /// </summary>
    public async Task<string?> DiskRefusalAsync(string? path, HelperPeer peer, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(limits.DiskFolder);
        if (path is null || Path.GetDirectoryName(path) != folder || !SessionDiskName().IsMatch(Path.GetFileName(path)) || Path.GetFullPath(path) != path)
        {
            return $"GGnet attaches only session disks named session-N.img or session-N-data-K.img (and test-boot disks trial-N.img) in {folder}.";
        }
        if (await files.RealPathAsync(folder, cancellationToken) != folder)
        {
            return $"The disk folder {folder} is reached through a link; the helper attaches nothing from it.";
        }
        var facts = await files.FactsAsync(path, cancellationToken);
        if (facts is null)
        {
            return $"There is no disk {path}.";
        }
        if (facts.Kind != "regular file" && facts.Kind != "regular empty file")
        {
            return $"{path} is a {facts.Kind}, not a disk file.";
        }
        return peer.IsRoot || facts.OwnerUid == peer.Uid ? null : $"{path} does not belong to the user asking.";
    }

    private static string? Account(TgtRequest request, bool withPassword, bool allowOutgoing = false)
    {
        if (request.User is not { } user || !AccountName().IsMatch(user))
        {
            return "An account's name is a machine's name (letters, digits, '-', '_', '.').";
        }
        if (withPassword != request.Password is not null || (!allowOutgoing && request.Outgoing) || request.Lun is not null || request.Force)
        {
            return "The request carries parameters GGnet never sends with it.";
        }
        return request.Parameters().All(p => p.Name is "user" or "password") ? null : "The request carries parameters GGnet never sends with it.";
    }

    // An account bound to a target that is not GGnet's belongs to someone else.
    private async Task<string?> AccountOfOthersAsync(string user, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).Any(t => !IsOurs(t.State.Target.Value) && t.Accounts.Contains(user))
            ? $"The account {user} is used by a target that is not GGnet's."
            : null;

    private static string? Portal(TgtRequest request)
    {
        if (request.Portal is not { } portal || portal.LastIndexOf(':') is var colon && colon <= 0
            || !IPAddress.TryParse(portal[..colon].Trim('[', ']'), out _)
            || !ushort.TryParse(portal[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port == 0)
        {
            return "A portal is an address and a port (address:port).";
        }
        return Extra(request, false, "portal");
    }

    private async Task<IReadOnlyList<TgtTargetListing.Entry>> ListAsync(CancellationToken cancellationToken)
    {
        var (_, listing) = await tgtd.ReadAsync(new TgtRequest(TgtMode.Target, TgtOperation.Show), TgtTargetListing.Parse, cancellationToken);
        return listing ?? [];
    }

    // A session's disk and its data disks, or a version's test-boot disk.
    [GeneratedRegex(@"^(session-[0-9]{1,10}(-data-[1-8])?|trial-[0-9]{1,10})\.img$")]
    private static partial Regex SessionDiskName();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")]
    private static partial Regex AccountName();
}
