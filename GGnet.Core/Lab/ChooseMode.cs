using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Ports;

namespace GGnet.Core.Lab;

/// <summary>Switches between lab mode and production mode (real interfaces, real DHCP) — only ever on an explicit choice.</summary>
public sealed class ChooseMode(IModeStore store, ILab lab, IAuditLog audit, TimeProvider clock)
{
    /// <returns>A sentence saying what happens next.</returns>
    public async Task<string> ExecuteAsync(bool labMode, string actor, CancellationToken cancellationToken)
    {
        await store.SaveAsync(labMode, cancellationToken);
        var before = lab.Status.Enabled ? "lab" : "production";
        var after = labMode ? "lab" : "production";
        await audit.WriteAsync(new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.ModeChanged, "settings", "mode", $"mode={before}", $"mode={after}"), cancellationToken);
        return before == after
            ? $"GGnet stays in {after} mode."
            : $"GGnet switches to {after} mode when it next starts: restart it (Ctrl+C, then sudo bash deploy/run.sh again).";
    }
}
