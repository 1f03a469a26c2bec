using System.Text.Json.Serialization;

namespace GGnet.Infrastructure.Iscsi.Tgt.Control;

/// <summary>What a request to tgtd is about (tgtadm's <c>--mode</c>), numbered as tgtd numbers them.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TgtMode>))]
public enum TgtMode
{
    System = 0,
    Target = 1,
    LogicalUnit = 2,
    Portal = 3,
    Lld = 4,
    Session = 5,
    Connection = 6,
    Account = 7,
}

/// <summary>What to do (tgtadm's <c>--op</c>), numbered as tgtd numbers them.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TgtOperation>))]
public enum TgtOperation
{
    New = 0,
    Delete = 1,
    Show = 2,
    Bind = 3,
    Unbind = 4,
    Update = 5,
    Stats = 6,
    Start = 7,
    Stop = 8,
}

/// <summary>What a logical unit emulates (tgtadm's <c>--device-type</c>), numbered as SCSI numbers them.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TgtDeviceType>))]
public enum TgtDeviceType
{
    Disk = 0,

    /// <summary>A CD/DVD drive (tgt's "cd"): a non-empty file is a DVD-ROM, which refuses every write.</summary>
    Cd = 5,
}

/// <summary>tgtd's answer codes, numbered as tgtd numbers them; the last two are GGnet's own (no answer from tgtd).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TgtStatus>))]
public enum TgtStatus
{
    Success = 0,
    UnknownError = 1,
    NoMemory = 2,
    NoDriver = 3,
    NoTarget = 4,
    NoLun = 5,
    NoSession = 6,
    NoConnection = 7,
    NoBinding = 8,
    TargetExists = 9,
    LunExists = 10,
    BindingExists = 11,
    AclExists = 12,
    NoAcl = 13,
    UserExists = 14,
    NoUser = 15,
    TooManyUsers = 16,
    InvalidRequest = 17,
    OutgoingAccountExists = 18,
    TargetActive = 19,
    LunActive = 20,
    DriverActive = 21,
    Unsupported = 22,
    UnknownParameter = 23,
    PreventRemoval = 24,

    /// <summary>GGnet's root helper refused the request: it is not one of GGnet's own operations.</summary>
    Refused = 1000,

    /// <summary>tgtd (or the helper) could not be reached, or broke off the answer.</summary>
    Unreachable = 1001,
}

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

/// <summary>tgtd's answer: its code and, for a listing, its text.</summary>
public sealed record TgtReply(TgtStatus Status, string Text)
{
    public bool Succeeded => Status == TgtStatus.Success;

    /// <summary>A sentence for an error message: tgtd's code in words, or the helper's reason.</summary>
    public string Explanation => Status switch
    {
        TgtStatus.Success => "done",
        TgtStatus.Refused or TgtStatus.Unreachable => Text,
        TgtStatus.NoTarget => "there is no such target",
        TgtStatus.TargetExists => "the target already exists",
        TgtStatus.LunActive => "the disk is still in use",
        TgtStatus.TargetActive => "the target still has sessions",
        TgtStatus.UserExists => "the account already exists",
        TgtStatus.NoUser => "there is no such account",
        TgtStatus.AclExists or TgtStatus.BindingExists => "it is already allowed",
        TgtStatus.NoAcl or TgtStatus.NoBinding => "it was not allowed",
        TgtStatus.InvalidRequest or TgtStatus.UnknownParameter => "tgtd found the request invalid",
        _ => $"tgtd answered {Status}",
    };

    public static TgtReply Refuse(string reason) => new(TgtStatus.Refused, reason);
}

/// <summary>Reads tgtd's answer where it lies, keeping only what it returns.</summary>
public delegate T TgtTextReader<out T>(ReadOnlySpan<char> text);
