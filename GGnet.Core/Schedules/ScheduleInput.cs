using System.Globalization;
using GGnet.Core.Domain.Schedules;
using GGnet.Core.Errors;

namespace GGnet.Core.Schedules;

/// <summary>
/// A schedule as typed: the group, "HH:mm", the days ("every", "weekdays" or names like "mon,wed"), the action and, to
/// start sessions, the image; to wake in waves, how many PCs a wave wakes and the seconds between waves (none: each wave
/// once the last is online).
/// </summary>
public sealed record ScheduleInput(int GroupId, string? At, string? Days, string? Action, int? ImageId, int? WaveSize = null, int? WaveSeconds = null)
{
    public (TimeOnly At, ScheduleDays Days, ScheduleAction Action) Parse()
    {
        var errors = new FieldErrors();
        if (!TimeOnly.TryParseExact(At?.Trim(), "H:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            errors.Add("at", "Give the time as HH:mm in the server's time, e.g. 09:00.");
        }
        var days = ParseDays(Days);
        if (days == ScheduleDays.None)
        {
            errors.Add("days", "Give the days: every, weekdays, or day names like mon,tue,sat.");
        }
        if (!Enum.TryParse<ScheduleAction>(Action?.Trim(), ignoreCase: true, out var action) || !Enum.IsDefined(action))
        {
            errors.Add("action", "The action is wake, startAndWake or stopSessions.");
        }
        else if (action == ScheduleAction.StartAndWake && ImageId is null)
        {
            errors.Add("imageId", "Choose the image the sessions start on.");
        }
        CheckWaves(errors, action);
        errors.ThrowIfAny();
        return (at, days, action);
    }

    private void CheckWaves(FieldErrors errors, ScheduleAction action)
    {
        if (WaveSize is { } size && (size < 1 || size > BootWavesLimits.MaxWaveSize))
        {
            errors.Add("waveSize", $"A wave wakes 1 to {BootWavesLimits.MaxWaveSize} PCs; leave it empty to wake the whole group at once.");
        }
        else if (WaveSize is not null && action == ScheduleAction.StopSessions)
        {
            errors.Add("waveSize", "Only a schedule that wakes PCs wakes them in waves.");
        }
        if (WaveSeconds is { } seconds && (seconds < 1 || seconds > BootWavesLimits.MaxWaveSeconds || WaveSize is null))
        {
            errors.Add("waveSeconds", WaveSize is null
                ? "Seconds between waves go with a wave size."
                : $"Between waves: 1 to {BootWavesLimits.MaxWaveSeconds} seconds, or empty for \"as soon as the last wave is online\".");
        }
    }

    private static ScheduleDays ParseDays(string? text)
    {
        var days = ScheduleDays.None;
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var day = part.ToLowerInvariant() switch
            {
                "every" or "daily" => ScheduleDays.Every,
                "weekdays" => ScheduleDays.Weekdays,
                "sun" or "sunday" => ScheduleDays.Sunday,
                "mon" or "monday" => ScheduleDays.Monday,
                "tue" or "tuesday" => ScheduleDays.Tuesday,
                "wed" or "wednesday" => ScheduleDays.Wednesday,
                "thu" or "thursday" => ScheduleDays.Thursday,
                "fri" or "friday" => ScheduleDays.Friday,
                "sat" or "saturday" => ScheduleDays.Saturday,
                _ => (ScheduleDays?)null,
            };
            if (day is null)
            {
                return ScheduleDays.None;
            }
            days |= day.Value;
        }
        return days;
    }
}
