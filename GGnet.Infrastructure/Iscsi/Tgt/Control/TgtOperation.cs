using System.Text.Json.Serialization;

namespace GGnet.Infrastructure.Iscsi.Tgt.Control;

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
