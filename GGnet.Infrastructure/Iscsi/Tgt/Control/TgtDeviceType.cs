using System.Text.Json.Serialization;

namespace GGnet.Infrastructure.Iscsi.Tgt.Control;

/// <summary>What a logical unit emulates (tgtadm's <c>--device-type</c>), numbered as SCSI numbers them.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TgtDeviceType>))]
public enum TgtDeviceType
{
    Disk = 0,

    /// <summary>A CD/DVD drive (tgt's "cd"): a non-empty file is a DVD-ROM, which refuses every write.</summary>
    Cd = 5,
}
