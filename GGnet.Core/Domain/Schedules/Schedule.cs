using System.Globalization;

namespace GGnet.Core.Domain.Schedules;

/// <summary>What a schedule does to its group at its time.</summary>
public enum ScheduleAction
{
    /// <summary>Wake-on-LAN for every machine of the group.</summary>
    Wake,

    /// <summary>Opening time: a session on the image for every machine, then Wake-on-LAN so they boot into it.</summary>
    StartAndWake,

    /// <summary>Closing time: stop the group's sessions.</summary>
    StopSessions,
}

/// <summary>The days a schedule runs on.</summary>
[Flags]
public enum ScheduleDays
{
    None = 0,
    Sunday = 1,
    Monday = 2,
    Tuesday = 4,
    Wednesday = 8,
    Thursday = 16,
    Friday = 32,
    Saturday = 64,
    Weekdays = Monday | Tuesday | Wednesday | Thursday | Friday,
    Every = Weekdays | Saturday | Sunday,
}

/// <summary>A recurring action on a machine group, e.g. every day at 09:00 start "Hall A" on win11-cafe and wake it.</summary>
public sealed class Schedule
{
    private Schedule()
    {
    }

    public Schedule(int groupId, TimeOnly at, ScheduleDays days, ScheduleAction action, int? imageId, DateTime createdAt)
    {
        GroupId = groupId;
        At = at;
        Days = days;
        Action = action;
        ImageId = imageId;
        CreatedAt = createdAt;
    }

    public int Id { get; private set; }

    public int GroupId { get; private set; }

    /// <summary>The server's local time of day.</summary>
    public TimeOnly At { get; private set; }

    public ScheduleDays Days { get; private set; }

    public ScheduleAction Action { get; private set; }

    /// <summary>The image sessions start on (for <see cref="ScheduleAction.StartAndWake"/>).</summary>
    public int? ImageId { get; private set; }

    public DateTime CreatedAt { get; private set; }

    /// <summary>Boot waves: how many PCs are woken at a time; null wakes the whole group at once.</summary>
    public int? WaveSize { get; private set; }

    /// <summary>
    /// Seconds from one wave to the next; null (with a <see cref="WaveSize"/>): the next wave as soon as the last one is
    /// online, or after <see cref="Schedules.BootWavesLimits.MaxWaitForOnline"/> at most.
    /// </summary>
    public int? WaveSeconds { get; private set; }

    /// <summary>Wakes the group in waves of <paramref name="size"/> PCs, <paramref name="seconds"/> apart (null: each once the last is online).</summary>
    public void PaceWaves(int? size, int? seconds)
    {
        WaveSize = size;
        WaveSeconds = size is null ? null : seconds;
    }

    /// <summary>The cron expression: minute, hour, any day of month, any month, the days of the week (0 = Sunday).</summary>
    public string Cron
    {
        get
        {
            var days = Enumerable.Range(0, 7).Where(d => Days.HasFlag((ScheduleDays)(1 << d))).ToList();
            var dayField = days.Count == 7 ? "*" : string.Join(',', days);
            return string.Create(CultureInfo.InvariantCulture, $"{At.Minute} {At.Hour} * * {dayField}");
        }
    }

    public string Summary(string groupName) => string.Create(CultureInfo.InvariantCulture,
        $"{Action} group '{groupName}' at {At:HH\\:mm} on {(Days == ScheduleDays.Every ? "every day" : Days == ScheduleDays.Weekdays ? "weekdays" : Days.ToString())}") +
        (WaveSize is { } size ? string.Create(CultureInfo.InvariantCulture, $" in waves of {size}, {(WaveSeconds is { } seconds ? $"{seconds} s apart" : "each once the last is online")}") : "");
}
