namespace GGnet.Core.Iscsi;

/// <summary>How a PC proves itself to its iSCSI target: not at all, with CHAP, or with CHAP both ways (mutual).</summary>
public enum ChapPolicy
{
    Off,
    OneWay,
    Mutual,
}
