using GGnet.Core.Audit;
using GGnet.Core.Boot;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Lab;

/// <summary>
/// The guided way out of the lab: the boot network real PCs will use is entered and checked first (the same checks as
/// on the Settings page), saved for the next start, and only then is production mode chosen. The lab keeps running on
/// its own network until GGnet restarts.
/// </summary>
public sealed class SwitchToProduction(INetworkSettingsStore store, IMachineRepository machines, ILab lab, ChooseMode choose, IAuditLog audit, TimeProvider clock)
{
    /// <returns>A sentence saying what happens next.</returns>
    public async Task<string> ExecuteAsync(NetworkSettingsInput network, string actor, CancellationToken cancellationToken)
    {
        if (!lab.Status.Enabled)
        {
            throw new ConflictException("GGnet is in production mode already: change the boot network under Settings, Boot network.");
        }
        await SaveNetworkSettings.CheckAsync(network, machines, cancellationToken);
        var before = SaveNetworkSettings.Summary(store.Saved);
        await store.SaveForNextStartAsync(network, cancellationToken);
        await audit.WriteAsync(new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.NetworkChanged, "settings", "network", before,
            SaveNetworkSettings.Summary(network) + " (from the next start)"), cancellationToken);
        return await choose.ExecuteAsync(labMode: false, actor, cancellationToken);
    }
}
