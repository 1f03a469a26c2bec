using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Bulk;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Schedules;
using GGnet.Core.Ports;

namespace GGnet.Core.Schedules;

/// <summary>
/// One boot wave of a schedule's run: waits (by coming back later) until the last wave is online when the waves are paced
/// by it, wakes this wave's PCs, audits it, and hands the next wave to a later job. A schedule deleted meanwhile wakes no more.
/// </summary>
public sealed class WakeBootWave(WakeMachines wake, IMachineRepository machines, IScheduleRepository schedules, IBootWaveJobs waves, IAuditLog audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<BulkOutcome>> ExecuteAsync(BootWavePlan plan, int wave, DateTime lastWokenAt, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (await schedules.FindAsync(plan.ScheduleId, cancellationToken) is null)
        {
            return [];
        }
        if (wave > 0 && plan.WaveSeconds is null && now - lastWokenAt < BootWavesLimits.MaxWaitForOnline && !await AllOnlineAsync(plan.Waves[wave - 1], cancellationToken))
        {
            waves.Schedule(plan, wave, lastWokenAt, BootWavesLimits.OnlinePoll);
            return [];
        }
        var woken = await wake.ExecuteAsync(plan.Selection(wave), plan.Actor, cancellationToken);
        await audit.WriteAsync(new AuditEvent(now, plan.Actor, AuditActions.ScheduleWave, "schedule", plan.ScheduleId.ToString(CultureInfo.InvariantCulture), null,
            string.Create(CultureInfo.InvariantCulture, $"wave={wave + 1}/{plan.Waves.Count} woken={woken.Count(o => o.Done)} refused={woken.Count(o => !o.Done)}")), cancellationToken);
        if (wave + 1 < plan.Waves.Count)
        {
            waves.Schedule(plan, wave + 1, now, plan.WaveSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : BootWavesLimits.OnlinePoll);
        }
        return woken;
    }

    // Every PC of the wave attached its disk (or got further): "online" on its tile.
    private async Task<bool> AllOnlineAsync(int[] wave, CancellationToken cancellationToken)
    {
        foreach (var id in wave)
        {
            if (await machines.FindAsync(id, cancellationToken) is { BootStage: not BootStage.Online })
            {
                return false;
            }
        }
        return true;
    }
}
