using GGnet.Infrastructure.Processes;
using GGnet.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace GGnet.Tests.Infrastructure.Processes;

public sealed class PeriodicCheckTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly LevelLog _log = new();

    [Fact]
    public async Task TheFirstPassRunsAsGGnetStarts_ThenOneEachInterval()
    {
        using var check = new CountingCheck(_clock, _log, firstPassAtStart: true);

        await check.StartAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => check.Passes == 1);
        var beforeTheClockMoved = check.Passes;
        await NextTickAsync(check, 2);
        await NextTickAsync(check, 3);
        await check.StopAsync(CancellationToken.None);

        Assert.Equal(1, beforeTheClockMoved);
        Assert.Equal(3, check.Passes);
    }

    [Fact]
    public async Task WithoutAPassAtStart_TheFirstPassComesOneIntervalLater()
    {
        using var check = new CountingCheck(_clock, _log, firstPassAtStart: false);

        await check.StartAsync(CancellationToken.None);
        _clock.Advance(Interval - TimeSpan.FromSeconds(1));
        // Time for a pass that must not come.
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        var beforeTheInterval = check.Passes;
        await NextTickAsync(check, 1, TimeSpan.FromSeconds(1));
        await check.StopAsync(CancellationToken.None);

        Assert.Equal(0, beforeTheInterval);
        Assert.Equal(1, check.Passes);
    }

    [Fact]
    public async Task AFailingPass_IsTriedAgainEachTick_AndTheSameFailureIsLoggedOnce_UntilItChanges()
    {
        string?[] failures = ["database is locked", "database is locked", "database is locked", "disk full", null, "database is locked"];
        using var check = new CountingCheck(_clock, _log, firstPassAtStart: true,
            pass => failures[pass - 1] is { } failure ? throw new InvalidOperationException(failure) : Task.CompletedTask);

        await check.StartAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => check.Passes == 1);
        for (var pass = 2; pass <= failures.Length; pass++)
        {
            await NextTickAsync(check, pass);
        }
        await check.StopAsync(CancellationToken.None);

        Assert.Equal(failures.Length, check.Passes);
        Assert.Equal(["Counting PCs failed: database is locked", "Counting PCs failed: disk full", "Counting PCs failed: database is locked"], _log.Warnings);
    }

    [Fact]
    public async Task APassThatTimesOut_IsAFailureLikeAnyOther_AndTheNextTickRunsAgain()
    {
        using var check = new CountingCheck(_clock, _log, firstPassAtStart: true,
            pass => pass == 1 ? throw new TaskCanceledException("The request was canceled due to the configured timeout.") : Task.CompletedTask);

        await check.StartAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => check.Passes == 1);
        await NextTickAsync(check, 2);
        await check.StopAsync(CancellationToken.None);

        Assert.Equal(2, check.Passes);
        Assert.Equal(["Counting PCs failed: The request was canceled due to the configured timeout."], _log.Warnings);
    }

    [Fact]
    public async Task AWorkWhoseFailureOthersActOn_LogsItAsAnError()
    {
        using var check = new CountingCheck(_clock, _log, firstPassAtStart: true, _ => throw new InvalidOperationException("database is locked"),
            failureLevel: LogLevel.Error);

        await check.StartAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => check.Passes == 1);
        await NextTickAsync(check, 2);
        await check.StopAsync(CancellationToken.None);

        Assert.Empty(_log.Warnings);
        Assert.Equal(["Counting PCs failed: database is locked"], _log.Errors);
    }

    // Moves the clock on and waits for the pass that tick starts (the check runs on a thread of its own).
    private async Task NextTickAsync(CountingCheck check, int pass, TimeSpan? by = null)
    {
        _clock.Advance(by ?? Interval);
        await Eventually.HoldsAsync(() => check.Passes >= pass);
    }

    private sealed class CountingCheck(FakeTimeProvider clock, ILogger logger, bool firstPassAtStart, Func<int, Task>? pass = null,
        LogLevel failureLevel = LogLevel.Warning) : PeriodicCheck(clock, logger)
    {
        private int _passes;

        public int Passes => Volatile.Read(ref _passes);

        protected override TimeSpan Interval => PeriodicCheckTests.Interval;

        protected override bool FirstPassAtStart => firstPassAtStart;

        protected override string Work => "Counting PCs";

        protected override LogLevel FailureLevel => failureLevel;

        protected override Task PassAsync(CancellationToken cancellationToken) => (pass ?? (_ => Task.CompletedTask))(Interlocked.Increment(ref _passes));
    }

    private sealed class LevelLog : ILogger
    {
        private readonly List<(LogLevel Level, string Text)> _lines = [];

        public IReadOnlyList<string> Warnings => At(LogLevel.Warning);

        public IReadOnlyList<string> Errors => At(LogLevel.Error);

        private List<string> At(LogLevel level)
        {
            lock (_lines)
            {
                return [.. _lines.Where(line => line.Level == level).Select(line => line.Text)];
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
            {
                _lines.Add((logLevel, formatter(state, exception)));
            }
        }
    }
}
