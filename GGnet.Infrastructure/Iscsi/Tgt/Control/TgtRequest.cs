namespace GGnet.Infrastructure.Iscsi.Tgt.Control;

/// <summary>
/// One request to tgtd's management socket, with the same parts tgtadm sends: the numbers of the header and the named
/// parameters of its text. A value may hold no ',' and no '=': tgtd splits the text on both.
/// </summary>
public sealed record TgtRequest(TgtMode Mode, TgtOperation Operation)
{
    /// <summary>The target's id; null is "none" (tgtadm's -1), or every target for an account binding.</summary>
    public int? Tid { get; init; }

    public ulong? Lun { get; init; }

    public ulong Sid { get; init; }

    public uint Cid { get; init; }

    public bool Force { get; init; }

    /// <summary>For a new logical unit: what it emulates.</summary>
    public TgtDeviceType DeviceType { get; init; }

    /// <summary>An account binding for the target's own answer (mutual CHAP).</summary>
    public bool Outgoing { get; init; }

    public string? TargetName { get; init; }

    public string? BackingStore { get; init; }

    public string? InitiatorAddress { get; init; }

    public string? InitiatorName { get; init; }

    public string? User { get; init; }

    public string? Password { get; init; }

    /// <summary>A portal, "address:port".</summary>
    public string? Portal { get; init; }

    /// <summary>The named parameters in the order tgtadm writes them.</summary>
    public IEnumerable<(string Name, string Value)> Parameters()
    {
        (string Name, string? Value)[] all =
        [
            ("portal", Portal), ("path", BackingStore), ("targetname", TargetName), ("initiator-address", InitiatorAddress),
            ("initiator-name", InitiatorName), ("user", User), ("password", Password),
        ];
        return all.Where(p => p.Value is not null).Select(p => (p.Name, p.Value!));
    }

    /// <summary>A line for a log: what was asked, never the password.</summary>
    public override string ToString() =>
        $"{Operation} {Mode}" + (Tid is { } tid ? $" tid {tid}" : "") + (Lun is { } lun ? $" lun {lun}" : "")
        + (DeviceType == TgtDeviceType.Disk ? "" : $" {DeviceType.ToString().ToLowerInvariant()}")
        + string.Concat(Parameters().Select(p => p.Name == "password" ? " password=***" : $" {p.Name}={p.Value}"));
}
