using GGnet.Core.Ports;

namespace GGnet.Core.Storage;

/// <summary>How much space each running session's disks take for themselves (its writes, on a reflink filesystem), biggest first.</summary>
public sealed class ListSessionDiskUsage(ISessionRepository sessions, IDiskCloner disks, IMachineRepository machines)
{
    public const int MaxSessions = 50;

    public async Task<IReadOnlyList<SessionDiskUsage>> ExecuteAsync(CancellationToken cancellationToken)
    {
        var usage = new List<SessionDiskUsage>();
        foreach (var session in (await sessions.ListActiveAsync(cancellationToken)).Where(s => s.Target is not null).OrderByDescending(s => s.Id).Take(MaxSessions))
        {
            var machine = await machines.FindAsync(session.MachineId, cancellationToken);
            var own = await Sessions.SessionDisks.OwnBytesAsync(disks, session, cancellationToken);
            usage.Add(new SessionDiskUsage(session.Id, session.MachineId, own)
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
