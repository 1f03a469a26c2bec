using System.Globalization;
using GGnet.Core.Bulk;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Schedules;

namespace GGnet.Core.Schedules;

/// <summary>
/// A schedule's run, waking its group in waves so a hall of PCs doesn't boot from the server at once: the machines by
/// name, <see cref="Schedule.WaveSize"/> a wave, the next wave <see cref="Schedule.WaveSeconds"/> after the last, or,
/// without seconds, once every PC of the last wave is online (<see cref="BootWavesLimits.MaxWaitForOnline"/> at most).
/// </summary>
/// <param name="Waves">The machine ids of each wave, in order.</param>
public sealed record BootWavePlan(int ScheduleId, string Actor, IReadOnlyList<int[]> Waves, int? WaveSeconds)
{
    public static BootWavePlan For(Schedule schedule, IReadOnlyList<Machine> machines, string actor) =>
        new(schedule.Id, actor, machines.Select(m => m.Id).Chunk(schedule.WaveSize ?? Math.Max(1, machines.Count)).ToList(), schedule.WaveSeconds);

    /// <summary>How the next wave is paced, for the Run-now view: "30 s after wave 1", "once wave 1 is online".</summary>
    public string When(int wave) => wave == 0
        ? "now"
        : WaveSeconds is { } seconds
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds} s after wave {wave}")
            : string.Create(CultureInfo.InvariantCulture, $"once wave {wave} is online (at most {BootWavesLimits.MaxWaitForOnline.TotalMinutes:0} min)");

    /// <summary>What a machine of <paramref name="wave"/> is told in the run's outcomes.</summary>
    public string Sentence(int wave) => string.Create(CultureInfo.InvariantCulture, $"wave {wave + 1} of {Waves.Count}, woken {When(wave)}");

    /// <summary>The wave a machine is in; null for one that joined the group after the plan was made (it is not woken).</summary>
    public int? WaveOf(int machineId) => Waves.Select((ids, index) => (ids, (int?)index)).FirstOrDefault(w => w.ids.Contains(machineId)).Item2;

    public MachineSelection Selection(int wave) => new(Waves[wave], null);
}
