using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Schedules;
using GGnet.Core.Ports;

namespace GGnet.Tests.Support;

/// <summary>Schedules in a list, and a scheduler that only remembers which are registered (the Hangfire one is tested against its storage).</summary>
public sealed class InMemorySchedules : IScheduleRepository, IScheduler, IBootWaveJobs
{
    /// <summary>The boot waves handed to a later job: the wave's number (from 0) and its delay.</summary>
    public List<(GGnet.Core.Schedules.BootWavePlan Plan, int Wave, TimeSpan Delay)> LaterWaves { get; } = [];

    void IBootWaveJobs.Schedule(GGnet.Core.Schedules.BootWavePlan plan, int wave, DateTime lastWokenAt, TimeSpan delay) => LaterWaves.Add((plan, wave, delay));

    private readonly List<Schedule> _schedules = [];

    public HashSet<int> Registered { get; } = [];

    public Task<IReadOnlyList<Schedule>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<Schedule>>(_schedules.ToList());

    public Task<Schedule?> FindAsync(int id, CancellationToken cancellationToken) => Task.FromResult(_schedules.FirstOrDefault(s => s.Id == id));

    public Task AddAsync(Schedule schedule, Func<Schedule, AuditEvent> audit, CancellationToken cancellationToken)
    {
        typeof(Schedule).GetProperty(nameof(Schedule.Id))!.SetValue(schedule, _schedules.Count + 1);
        _schedules.Add(schedule);
        return Task.CompletedTask;
    }

    public Task DeleteAsync(Schedule schedule, AuditEvent audit, CancellationToken cancellationToken)
    {
        _schedules.RemoveAll(s => s.Id == schedule.Id);
        return Task.CompletedTask;
    }

    public void Register(Schedule schedule) => Registered.Add(schedule.Id);

    public void Remove(int scheduleId) => Registered.Remove(scheduleId);

    public void Sync(IReadOnlyList<Schedule> schedules) => Registered.UnionWith(schedules.Select(s => s.Id));
}
