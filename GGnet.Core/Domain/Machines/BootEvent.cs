namespace GGnet.Core.Domain.Machines;

/// <summary>One observation of a PC on its way to boot: a script fetched, a DHCP lease, a disk attached.</summary>
public sealed class BootEvent
{
    private BootEvent()
    {
        MacAddress = null!;
    }

    public BootEvent(int? machineId, MacAddress macAddress, BootEventKind kind, Ipv4Address? clientAddress, DateTime at, string? detail = null)
    {
        MachineId = machineId;
        MacAddress = macAddress;
        Kind = kind;
        ClientAddress = clientAddress;
        At = at;
        Detail = detail;
    }

    public long Id { get; private set; }

    public int? MachineId { get; private set; }

    public MacAddress MacAddress { get; private set; }

    public BootEventKind Kind { get; private set; }

    public Ipv4Address? ClientAddress { get; private set; }

    public DateTime At { get; private set; }

    public string? Detail { get; private set; }
}

public enum BootEventKind
{
    ScriptFetchedHttp,
    ScriptFetchedTftp,
    DhcpLease,
    DiskAttached,
    DiskDetached,
    PoweredOn,
    PoweredOff,
    AttachFailed,

    /// <summary>The PC's operating system logged in to its disk itself, after the firmware had.</summary>
    OsTookOver,
}
