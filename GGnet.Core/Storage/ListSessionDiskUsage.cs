using GGnet.Core.Ports;

namespace GGnet.Core.Storage;

/// <summary>How much space each running session's disk takes for itself (its writes, on a reflink filesystem), biggest first.</summary>
public sealed class ListSessionDiskUsage(ISessionRepository sessions, IDiskCloner disks, IMachineRepository machines)
{
    public const int MaxSessions = 50;

    public async Task<IReadOnlyList<SessionDiskUsage>> ExecuteAsync(CancellationToken cancellationToken)
    {
        var usage = new List<SessionDiskUsage>();
        foreach (var session in (await sessions.ListActiveAsync(cancellationToken)).Where(s => s.Target is not null).OrderByDescending(s => s.Id).Take(MaxSessions))
        {
            var machine = await machines.FindAsync(session.MachineId, cancellationToken);
            usage.Add(new SessionDiskUsage(session.Id, session.MachineId, await disks.OwnBytesAsync(session.Target!.LunPath, cancellationToken))
            {
                MachineName = machine?.Name.Value ?? $"machine {session.MachineId}",
            });
        }
        return usage.OrderByDescending(u => u.OwnBytes).ToList();
    }
}

/// <summary>One session's disk: the space it takes for itself.</summary>
public sealed record SessionDiskUsage(int SessionId, int MachineId, long OwnBytes)
{
    public string MachineName { get; init; } = "";
}
