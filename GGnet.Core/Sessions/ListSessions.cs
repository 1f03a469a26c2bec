using GGnet.Core.Common;
using GGnet.Core.Domain.Images;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Sessions;

public sealed class ListSessions(ISessionRepository sessions, IImageRepository images, TimeProvider clock)
{
    public Task<Page<Session>> ExecuteAsync(SessionQuery query, CancellationToken cancellationToken) => sessions.ListAsync(query, cancellationToken);

    public async Task<Session> GetAsync(int id, CancellationToken cancellationToken) =>
        await sessions.FindAsync(id, cancellationToken) ?? throw new NotFoundException($"There is no session with id {id}.");

    public Task<Session?> ActiveForMachineAsync(int machineId, CancellationToken cancellationToken) => sessions.FindActiveAsync(machineId, cancellationToken);

    public Task<IReadOnlyList<Image>> BootableImagesAsync(CancellationToken cancellationToken) => images.ListBootableAsync(cancellationToken);

    /// <summary>The active session of each machine that has one.</summary>
    public async Task<IReadOnlyDictionary<int, Session>> ActiveByMachineAsync(CancellationToken cancellationToken) =>
        (await sessions.ListActiveAsync(cancellationToken)).ToDictionary(s => s.MachineId);

    /// <summary>What a session runs, for people: "win11-cafe v3".</summary>
    public async Task<string> VersionLabelAsync(int versionId, CancellationToken cancellationToken) =>
        (await VersionShownAsync(versionId, cancellationToken)).Label;

    /// <summary>"win11-cafe v3", and whether that image's system never logs in to its disk itself.</summary>
    public async Task<VersionShown> VersionShownAsync(int versionId, CancellationToken cancellationToken)
    {
        var version = await images.FindVersionAsync(versionId, cancellationToken);
        var image = version is null ? null : await images.FindAsync(version.ImageId, cancellationToken);
        return image is null ? new VersionShown("(deleted image)", false) : new VersionShown(ImageVersion.Label(image.Name, version!.Number), image.FirmwareOnly);
    }

    /// <summary>Sessions by state, and the median and slowest boot of the last 24 hours (a boot as <see cref="BootDuration"/> defines it).</summary>
    public async Task<SessionStats> StatsAsync(CancellationToken cancellationToken)
    {
        var byState = await sessions.CountByStateAsync(cancellationToken);
        var day = BootDurationChart.Of(await sessions.ListBootDurationsAsync(clock.GetUtcNow().UtcDateTime.AddHours(-24), cancellationToken), clock.GetUtcNow().UtcDateTime, 24);
        return new SessionStats(byState, day.MedianSeconds, day.LongestSeconds);
    }

    /// <summary>How long PCs took from DHCP to Online, per hour over the last hours.</summary>
    /// <summary>
    /// Each of these sessions' boot time, by session id, as <see cref="BootDuration"/> defines it everywhere GGnet shows one:
    /// from the PC's first DHCP lease (or script request) after its session was ready, to Online. A session whose PC
    /// was up already has none.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, double>> BootSecondsAsync(IReadOnlyList<Session> shown, CancellationToken cancellationToken)
    {
        var online = shown.Where(s => s.OnlineAt is not null).ToList();
        if (online.Count == 0)
        {
            return new Dictionary<int, double>();
        }
        var boots = (await sessions.ListBootDurationsAsync(online.Min(s => s.OnlineAt!.Value), cancellationToken))
            .ToLookup(b => (b.MachineId, b.OnlineAt));
        return online.Where(s => boots[(s.MachineId, s.OnlineAt!.Value)].Any())
            .ToDictionary(s => s.Id, s => boots[(s.MachineId, s.OnlineAt!.Value)].Min(b => b.Seconds));
    }

    public async Task<BootDurationChart> BootDurationsAsync(int hours, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return BootDurationChart.Of(await sessions.ListBootDurationsAsync(now.AddHours(-hours), cancellationToken), now, hours);
    }
}

/// <summary>An image version as screens show it.</summary>
public sealed record VersionShown(string Label, bool FirmwareOnly);
