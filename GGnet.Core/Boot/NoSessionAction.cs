namespace GGnet.Core.Boot;

/// <summary>What a known PC does when it boots while no session is started for it.</summary>
public enum NoSessionAction
{
    /// <summary>Shows a screen and asks again every few seconds, so it boots as soon as an operator starts its session.</summary>
    Wait,

    /// <summary>Leaves network boot and boots from its local disk, if it has one.</summary>
    LocalDisk,
}
