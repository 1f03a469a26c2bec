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
