using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Ports;

namespace GGnet.Core.Iscsi;

/// <summary>
/// The one-click way out of an install whose disks are open (Iscsi:Chap Off): CHAP on (OneWay) for every session
/// started from now on, kept for later starts. Running sessions keep their targets until they end.
/// </summary>
public sealed class TurnOnChap(ChapDefaults defaults, IChapSettingStore store, IAuditLog audit, TimeProvider clock)
{
    /// <summary>What the dashboard and Settings say while CHAP is off.</summary>
    public const string OpenSentence =
        "Session disks are open: CHAP is off (Iscsi:Chap), so anyone on the boot network who sends a PC's initiator name, which its boot script shows, " +
        "can read and write that PC's disk wherever GGnet does not know the PC's address.";

    public bool IsOff => defaults.Policy == ChapPolicy.Off;

    /// <returns>A sentence saying what changes.</returns>
    public async Task<string> ExecuteAsync(string actor, CancellationToken cancellationToken)
    {
        if (!IsOff)
        {
            return "CHAP is already on.";
        }
        await store.SaveAsync(ChapPolicy.OneWay, cancellationToken);
        defaults.Use(ChapPolicy.OneWay);
        await audit.WriteAsync(new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.ChapTurnedOn, "settings", "chap", "chap=Off", "chap=OneWay"), cancellationToken);
        return "CHAP is on: every session started from now on gets its own secret. Sessions running now keep their disks open until they end.";
    }
}
