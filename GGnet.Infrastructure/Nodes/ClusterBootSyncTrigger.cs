using GGnet.Core.Ports;
using GGnet.Infrastructure.Boot;
using GGnet.Infrastructure.Notifications;

namespace GGnet.Infrastructure.Nodes;

/// <summary>
/// A change the boot files depend on: this node syncs its own (if it runs the boot services) and the boot node, wherever
/// it runs, is told through the relay.
/// </summary>
public sealed class ClusterBootSyncTrigger(BootSyncService local, RedisClusterRelay relay) : IBootSyncTrigger
{
    public void Request()
    {
        local.Request();
        relay.Publish(new StatusChange(StatusChangeKind.BootSync));
    }
}
