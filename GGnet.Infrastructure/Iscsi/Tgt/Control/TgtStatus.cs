using System.Text.Json.Serialization;

namespace GGnet.Infrastructure.Iscsi.Tgt.Control;

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
