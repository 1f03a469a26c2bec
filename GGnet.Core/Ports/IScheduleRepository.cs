using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Schedules;

namespace GGnet.Core.Ports;

public interface IScheduleRepository
{
    Task<IReadOnlyList<Schedule>> ListAsync(CancellationToken cancellationToken);

    Task<Schedule?> FindAsync(int id, CancellationToken cancellationToken);

    Task AddAsync(Schedule schedule, Func<Schedule, AuditEvent> audit, CancellationToken cancellationToken);

    Task DeleteAsync(Schedule schedule, AuditEvent audit, CancellationToken cancellationToken);
}

/// <summary>Runs schedules at their time (the job system's recurring jobs, in the server's local time zone).</summary>
public interface IScheduler
{
    void Register(Schedule schedule);

    void Remove(int scheduleId);

    /// <summary>Makes the recurring jobs match the schedules: adds missing ones, removes those of deleted schedules.</summary>
    void Sync(IReadOnlyList<Schedule> schedules);
}

/// <summary>Runs a schedule's next boot wave later (a job that outlives the request that ran the schedule).</summary>
public interface IBootWaveJobs
{
    /// <summary>Wakes wave <paramref name="wave"/> of <paramref name="plan"/> after <paramref name="delay"/>; the wave before it was woken at <paramref name="lastWokenAt"/>.</summary>
    void Schedule(Schedules.BootWavePlan plan, int wave, DateTime lastWokenAt, TimeSpan delay);
}
