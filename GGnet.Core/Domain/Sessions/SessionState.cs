namespace GGnet.Core.Domain.Sessions;

public enum SessionState
{
    Pending,
    Provisioning,
    Ready,
    Booting,
    Online,
    Stopping,
    Stopped,
    Failed,
}
