using GGnet.Core.Common;

namespace GGnet.Core.Machines;

/// <summary>What part of the machine list to show: a page, a sort column and optional filters.</summary>
public sealed record MachineQuery(
    PageRequest Page,
    MachineSortField SortBy = MachineSortField.Name,
    bool Descending = false,
    string? Search = null,
    int? GroupId = null,
    bool? Enabled = null,
    IReadOnlyList<GGnet.Core.Domain.Machines.BootStage>? Stages = null);

public enum MachineSortField
{
    Name,
    MacAddress,
    IpAddress,
    Group,
    Firmware,
    Enabled,
    BootStage,
    LastSeen,
}
