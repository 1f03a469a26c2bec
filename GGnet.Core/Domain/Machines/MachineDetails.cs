namespace GGnet.Core.Domain.Machines;

/// <summary>The editable facts of a machine, already validated.</summary>
public sealed record MachineDetails(
    Hostname Name,
    MacAddress MacAddress,
    Ipv4Address? IpAddress,
    string? Description,
    int? GroupId,
    Firmware Firmware,
    Iqn? InitiatorIqn,
    bool Enabled,
    Boot.NoSessionAction NoSessionAction = Boot.NoSessionAction.Wait,
    Boot.ScriptTransport ScriptTransport = Boot.ScriptTransport.Http,
    bool Persistent = false);
