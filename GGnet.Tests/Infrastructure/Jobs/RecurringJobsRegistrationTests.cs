using GGnet.Core.Ports;
using GGnet.Infrastructure.Backups;
using GGnet.Infrastructure.Jobs;
using GGnet.Tests.Support;
using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GGnet.Tests.Infrastructure.Jobs;

/// <summary>
/// A node killed while it held the job store's lock on a recurring job leaves the lock behind until it times out. The node must start anyway
/// and register its recurring jobs once the lock is free (the PostgreSQL cluster test kills a node for real; this one holds the lock on purpose).
/// </summary>
public sealed class RecurringJobsRegistrationTests
{
    [Fact]
    public async Task ALockStillHeld_StartsAnyway_AndRegistersOnceTheLockIsFree()
    {
        var recurring = new LockedRecurringJobs(heldFor: 2);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var jobs = new QueuedReconciles();
        var registration = new RecurringJobsRegistration(recurring, jobs, new InMemorySchedules(), new InMemorySchedules(),
            Options.Create(new BackupOptions()), InMemoryNodes.Local, clock, NullLogger<RecurringJobsRegistration>.Instance);

        await registration.StartAsync(CancellationToken.None);
        Assert.Empty(recurring.Registered);
        Assert.Equal(["ggnet-1"], jobs.Reconciles);

        await recurring.WhenRegisteredAsync(() => clock.Advance(RecurringJobsRegistration.RetryEvery));
        Assert.Contains(RecurringJobsRegistration.ReconcileJobId, recurring.Registered);
        Assert.Contains(BackupRunner.JobId, recurring.Registered);
        await registration.StopAsync(CancellationToken.None);
        registration.Dispose();
    }

    [Fact]
    public async Task StoppingWhileTheLockIsHeld_EndsTheRetries()
    {
        var recurring = new LockedRecurringJobs(heldFor: int.MaxValue);
        var registration = new RecurringJobsRegistration(recurring, new QueuedReconciles(), new InMemorySchedules(), new InMemorySchedules(),
            Options.Create(new BackupOptions()), InMemoryNodes.Local, new FakeTimeProvider(DateTimeOffset.UtcNow), NullLogger<RecurringJobsRegistration>.Instance);

        await registration.StartAsync(CancellationToken.None);
        await registration.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(recurring.Registered);
        registration.Dispose();
    }

    [Fact]
    public async Task StoppedAgainAfterItWasDisposed_ItThrowsNothing()
    {
        var registration = new RecurringJobsRegistration(new LockedRecurringJobs(heldFor: 0), new QueuedReconciles(), new InMemorySchedules(), new InMemorySchedules(),
            Options.Create(new BackupOptions()), InMemoryNodes.Local, new FakeTimeProvider(DateTimeOffset.UtcNow), NullLogger<RecurringJobsRegistration>.Instance);
        await registration.StartAsync(CancellationToken.None);
        await registration.StopAsync(CancellationToken.None);
        registration.Dispose();

        await registration.StopAsync(CancellationToken.None);
    }

    /// <summary>Refuses the first <c>heldFor</c> attempts as a store whose lock someone else holds does.</summary>
    private sealed class LockedRecurringJobs(int heldFor) : IRecurringJobManager
    {
        private int _attempts;

        public HashSet<string> Registered { get; } = [];

        public void AddOrUpdate(string recurringJobId, Job job, string cronExpression, RecurringJobOptions options)
        {
            if (Interlocked.Increment(ref _attempts) <= heldFor)
            {
                throw new DistributedLockTimeoutException($"recurring-job:{recurringJobId}");
            }
            lock (Registered)
            {
                Registered.Add(recurringJobId);
            }
        }

        public void Trigger(string recurringJobId) => throw new NotSupportedException();

        public void RemoveIfExists(string recurringJobId) => throw new NotSupportedException();

        /// <summary>Moves time on until the registration got through (each retry waits on the clock).</summary>
        public async Task WhenRegisteredAsync(Action tick)
        {
            for (var i = 0; i < 200; i++)
            {
                lock (Registered)
                {
                    if (Registered.Contains(BackupRunner.JobId))
                    {
                        return;
                    }
                }
                tick();
                await Task.Delay(50);
            }
            throw new TimeoutException("The recurring jobs were never registered.");
        }
    }

    private sealed class QueuedReconciles : ISessionJobs
    {
        public List<string> Reconciles { get; } = [];

        public void EnqueueProvision(int sessionId, string node) => throw new NotSupportedException();

        public void EnqueueProvision(IReadOnlyList<int> sessionIds, string node) => throw new NotSupportedException();

        public void EnqueueTeardown(int sessionId, string node) => throw new NotSupportedException();

        public void EnqueueTeardown(IReadOnlyList<int> sessionIds, string node) => throw new NotSupportedException();

        public void EnqueueReconcile(string node) => Reconciles.Add(node);
    }
}
