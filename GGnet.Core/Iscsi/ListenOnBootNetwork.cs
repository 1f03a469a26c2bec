using GGnet.Core.Nodes;
using GGnet.Core.Ports;

namespace GGnet.Core.Iscsi;

/// <summary>
/// Keeps the iSCSI portal on this node's boot-network address only: nothing answers iSCSI on the server's other
/// networks (a management LAN, the uplink). Run with every reconcile pass, so a restarted tgtd is narrowed again.
/// </summary>
public sealed class ListenOnBootNetwork(IIscsiBackend iscsi, IBootNetwork network, LocalNode node)
{
    /// <returns>Null when the portal is where it belongs (or no boot network is set yet); else why it is not.</returns>
    public async Task<string?> ExecuteAsync(CancellationToken cancellationToken)
    {
        if ((node.PortalAddress ?? network.Settings?.ServerAddress) is not { } address)
        {
            return null;
        }
        try
        {
            await iscsi.ListenOnlyOnAsync(address, cancellationToken);
            return null;
        }
        catch (IscsiBackendException problem)
        {
            return $"The iSCSI portal still listens on every address of the server: {problem.Message}. Check that {address} is this server's boot-network address.";
        }
    }
}
