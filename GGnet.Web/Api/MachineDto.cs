using GGnet.Core.Boot;
using GGnet.Core.Domain.Machines;

namespace GGnet.Web.Api;

/// <summary>A machine as the API reads it.</summary>
public sealed record MachineDto(
    int Id,
    string Name,
    string MacAddress,
    string? IpAddress,
    int? GroupId,
    Firmware Firmware,
    string? InitiatorIqn,
    string? Description,
    bool Enabled,
    BootStage BootStage,
    DateTime? LastSeen,
    NoSessionAction NoSessionAction,
    ScriptTransport ScriptTransport,
    bool IsVirtual,
    bool Persistent,
    IReadOnlyList<int> DataImageIds)
{
    public static MachineDto From(Machine machine) => new(
        machine.Id,
        machine.Name.Value,
        machine.MacAddress.Value,
        machine.IpAddress?.Value,
        machine.GroupId,
        machine.Firmware,
        machine.InitiatorIqn?.Value,
        machine.Description,
        machine.Enabled,
        machine.BootStage,
        machine.LastSeen,
        machine.NoSessionAction,
        machine.ScriptTransport,
        machine.IsVirtual,
        machine.Persistent,
        machine.DataImageIds);
}

/// <summary>The data images (ids) a machine or a group gets copies of in each session; an empty list detaches them all.</summary>
public sealed record DataImagesInput(IReadOnlyList<int>? ImageIds);

/// <summary>One page of a list.</summary>
public sealed record PageDto<T>(IReadOnlyList<T> Items, int TotalCount, int Page, int PageSize);

/// <summary>An answer that is one sentence.</summary>
public sealed record MessageDto(string Message);
