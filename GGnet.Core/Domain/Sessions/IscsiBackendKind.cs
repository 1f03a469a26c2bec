namespace GGnet.Core.Domain.Sessions;

/// <summary>Which iSCSI target implementation exports a session's disk.</summary>
public enum IscsiBackendKind
{
    /// <summary>The userspace tgt daemon, driven through its management socket.</summary>
    Tgt,

    /// <summary>The kernel's LIO target, driven by targetcli.</summary>
    Lio,
}
