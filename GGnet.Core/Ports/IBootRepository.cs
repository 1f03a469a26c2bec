using GGnet.Core.Common;
using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Machines;

namespace GGnet.Core.Ports;

/// <summary>The data the boot plane reads and the observations it records.</summary>
public interface IBootRepository
{
    Task<Machine?> FindMachineAsync(MacAddress macAddress, CancellationToken cancellationToken);

    /// <summary>The active session's target for this machine, without the portal (that comes from the network settings).</summary>
    Task<ActiveTarget?> FindActiveTargetAsync(int machineId, CancellationToken cancellationToken);

    /// <summary>Every machine with its active target, for writing all TFTP scripts.</summary>
    Task<IReadOnlyList<(Machine Machine, ActiveTarget? Target)>> ListMachinesWithTargetsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Records, in one transaction and in order, that known machines fetched their scripts, and moves their boot stages
    /// (machines deleted meanwhile are skipped). Returns the machines whose record changed (a PC that only asked again, within
    /// <see cref="ScriptFetchFolding.LastSeenResolution"/> of its last sighting, changes none).
    /// </summary>
    Task<IReadOnlyCollection<int>> RecordScriptFetchesAsync(IReadOnlyList<BootEvent> fetches, CancellationToken cancellationToken);

    /// <summary>Records an observation (lease, disk attached, …) and moves the machine's boot stage.</summary>
    Task RecordObservationAsync(int machineId, BootStage stage, BootEvent? bootEvent, DateTime at, CancellationToken cancellationToken);

    /// <summary>Records many PCs' observations in one transaction, in order (machines deleted meanwhile are skipped).</summary>
    Task RecordObservationsAsync(IReadOnlyList<BootObservation> observations, CancellationToken cancellationToken);

    /// <summary>Adds or refreshes an unknown PC in the Discovered list; a new one beyond <paramref name="keepAtMost"/> replaces the PC seen longest ago.</summary>
    Task RecordDiscoveredAsync(MacAddress macAddress, DateTime at, Ipv4Address? ipAddress, Firmware? firmware, int keepAtMost, CancellationToken cancellationToken);

    /// <summary>Deletes boot events from before <paramref name="eventsBefore"/> and Discovered PCs last seen before <paramref name="discoveredUnseenSince"/>; how many of each.</summary>
    Task<(int Events, int Discovered)> PruneAsync(DateTime eventsBefore, DateTime discoveredUnseenSince, CancellationToken cancellationToken);

    /// <summary>A page of the Discovered PCs, the one seen last first.</summary>
    Task<Page<DiscoveredPc>> ListDiscoveredAsync(PageRequest page, CancellationToken cancellationToken);

    Task<DiscoveredPc?> FindDiscoveredAsync(MacAddress macAddress, CancellationToken cancellationToken);

    Task RemoveDiscoveredAsync(MacAddress macAddress, AuditEvent? audit, CancellationToken cancellationToken);

    Task<IReadOnlyList<DhcpHost>> ListDhcpHostsAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<BootEvent>> ListBootEventsAsync(int machineId, int count, CancellationToken cancellationToken);

    /// <summary>The address each of these machines got with its latest DHCP lease (machines never seen leasing are absent).</summary>
    Task<IReadOnlyDictionary<int, Ipv4Address>> ListLeasedAddressesAsync(IReadOnlyCollection<int> machineIds, CancellationToken cancellationToken);

    /// <summary>The latest DHCP lease GGnet recorded for that address, whichever registered PC it went to; null when none.</summary>
    Task<BootEvent?> FindLatestLeaseAsync(Ipv4Address address, CancellationToken cancellationToken);

    /// <summary>The latest boot events of all PCs, newest first (the dashboard's live feed).</summary>
    Task<IReadOnlyList<BootEvent>> ListRecentBootEventsAsync(int count, CancellationToken cancellationToken);
}

/// <summary>An active session's iSCSI target, as stored: with CHAP, the user name the PC logs in as, and whether the target answers back (mutual).</summary>
/// <param name="Portal">Where the session's node serves its target; null means the boot network's server address.</param>
/// <param name="DataDisks">How many disks the target serves after the session's own disk (its data disks, or the system a data image's maintenance boots).</param>
/// <param name="BootsFromCopy">A data image's maintenance: the PC boots the disk after its own (a copy of a system), its own disk hooked beside.</param>
public sealed record ActiveTarget(int SessionId, string ImageLabel, Iqn TargetIqn, int Lun, string? ChapUser = null, bool ChapMutual = false, Ipv4Address? Portal = null,
    string? InstallMedium = null, int DataDisks = 0, bool BootsFromCopy = false);
