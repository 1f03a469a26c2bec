using System.Collections.Concurrent;
using GGnet.Infrastructure.Jobs;
using GGnet.Tests.Support;
using Hangfire;
using Hangfire.Common;
using Hangfire.Storage.SQLite;

namespace GGnet.Tests.Infrastructure.Jobs;

/// <summary>
/// The SQLite job store polls slowly now: a job this process queues (created, or enqueued by the scheduler) must wake a
/// waiting worker, not wait for the poll. With a poll of an hour, a job that runs at all was woken. Hangfire's log provider is process-wide (an app
/// of another test may have left one bound to its disposed logging): this test runs alone and logs nowhere.
/// </summary>
[Collection(WebAppTests.Name)]
public sealed class WakingJobStorageTests : IDisposable
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Ran = new();
    private readonly TempDirectory _folder = new();

    [Fact]
    public async Task AJobEnqueuedHere_WakesTheWaitingWorker_ThoughTheStorePollsOnlyHourly()
    {
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(new Quiet());
        using var storage = Storage();
        var (client, server) = Start(storage);
        using (server)
        {
            // The first job may be found by the worker's very first look; after it, the worker waits (an hour, unless woken).
            await RunAsync(client).WaitAsync(TimeSpan.FromSeconds(60));
            await Task.Delay(TimeSpan.FromSeconds(1));
            var second = RunAsync(client);

            Assert.Same(second, await Task.WhenAny(second, Task.Delay(TimeSpan.FromSeconds(60))));
        }
    }

    [Fact]
    public async Task AScheduledJob_EnqueuedByTheScheduler_WakesTheWaitingWorker_Too()
    {
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(new Quiet());
        using var storage = Storage();
        var (client, server) = Start(storage);
        using (server)
        {
            await RunAsync(client).WaitAsync(TimeSpan.FromSeconds(60));
            var id = Guid.NewGuid().ToString("N");
            var ran = Ran.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            client.Schedule(() => WakeProbe.Mark(id), TimeSpan.FromSeconds(1));

            // The scheduler looks each second; without a wake the worker would sleep through the hour.
            Assert.Same(ran.Task, await Task.WhenAny(ran.Task, Task.Delay(TimeSpan.FromSeconds(60))));
        }
    }

    [Fact]
    public async Task ADelayedJobScheduledThroughGGnet_IsQueuedWhenDue_WithNoServerLookingForDueJobs()
    {
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(new Quiet());
        using var storage = Storage();
        var client = new BackgroundJobClient(storage, new JobFilterCollection());
        using var lifetime = new StoppableLifetime();
        var delayed = new PromptDelayedJobs(client, TimeProvider.System, lifetime, Microsoft.Extensions.Logging.Abstractions.NullLogger<PromptDelayedJobs>.Instance);

        var jobId = delayed.Schedule(Job.FromExpression(() => WakeProbe.Mark(Guid.NewGuid().ToString("N")), "default"), TimeSpan.FromSeconds(1));
        var rightAfter = StateOf(storage, jobId);
        // The SQLite store writes a job's new state and its place in the queue one after the other: wait for both.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(StateOf(storage, jobId) == "Enqueued" && InDefaultQueue(storage)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal("Scheduled", rightAfter);
        Assert.Equal("Enqueued", StateOf(storage, jobId));
        Assert.True(InDefaultQueue(storage));
    }

    private static bool InDefaultQueue(JobStorage storage) => storage.GetMonitoringApi().Queues().Any(q => q.Name == "default");

    private static string StateOf(JobStorage storage, string jobId) => storage.GetMonitoringApi().JobDetails(jobId).History[0].StateName;

    private WakingJobStorage Storage() =>
        new(new SQLiteStorage(Path.Combine(_folder.Path, $"hangfire-{Guid.NewGuid():N}.db"), new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromHours(1) }));

    // Its own (empty) filters and activator: Hangfire's global ones may still belong to an earlier test app, now disposed.
    private static (BackgroundJobClient Client, BackgroundJobServer Server) Start(WakingJobStorage storage)
    {
        var filters = new JobFilterCollection();
        var server = new BackgroundJobServer(new BackgroundJobServerOptions
        {
            WorkerCount = 1, Queues = ["default"], FilterProvider = filters, Activator = new JobActivator(), SchedulePollingInterval = TimeSpan.FromSeconds(1),
        }, storage);
        return (new BackgroundJobClient(storage, filters), server);
    }

    private static Task RunAsync(BackgroundJobClient client)
    {
        var id = Guid.NewGuid().ToString("N");
        var ran = Ran.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        client.Enqueue(() => WakeProbe.Mark(id));
        return ran.Task;
    }

    /// <summary>The job: it says it ran.</summary>
    public static class WakeProbe
    {
        public static void Mark(string id) => Ran.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    public void Dispose() => _folder.Dispose();

    private sealed class StoppableLifetime : Microsoft.Extensions.Hosting.IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => _stopping.Cancel();

        public void Dispose()
        {
            _stopping.Cancel();
            _stopping.Dispose();
        }
    }

    private sealed class Quiet : Hangfire.Logging.ILogProvider, Hangfire.Logging.ILog
    {
        public Hangfire.Logging.ILog GetLogger(string name) => this;

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
