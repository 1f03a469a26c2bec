using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;

namespace GGnet.Infrastructure.Jobs;

/// <summary>
/// The store's own write transaction, except that once one that put a job in a queue is committed, the waiting workers
/// wake (<see cref="WakingJobStorage.Wake"/>): a job created here, a retry or a scheduled job the scheduler has just
/// enqueued is picked up at once, not at the next poll.
/// </summary>
internal sealed class WakingTransaction(IWriteOnlyTransaction inner, WakingJobStorage storage) : JobStorageTransaction
{
    private bool _queued;

    // What the store supports beyond the basic calls (the storage says which, through HasFeature).
    private JobStorageTransaction Extended => inner as JobStorageTransaction ?? throw new NotSupportedException("The job store's transaction has no extended calls.");

    public override void AddToQueue(string queue, string jobId)
    {
        inner.AddToQueue(queue, jobId);
        _queued = true;
    }

    public override void Commit()
    {
        inner.Commit();
        if (_queued)
        {
            storage.Wake();
        }
    }

    public override void Dispose()
    {
        inner.Dispose();
        base.Dispose();
    }

    public override void ExpireJob(string jobId, TimeSpan expireIn) => inner.ExpireJob(jobId, expireIn);

    public override void PersistJob(string jobId) => inner.PersistJob(jobId);

    public override void SetJobState(string jobId, IState state) => inner.SetJobState(jobId, state);

    public override void AddJobState(string jobId, IState state) => inner.AddJobState(jobId, state);

    public override void IncrementCounter(string key) => inner.IncrementCounter(key);

    public override void IncrementCounter(string key, TimeSpan expireIn) => inner.IncrementCounter(key, expireIn);

    public override void DecrementCounter(string key) => inner.DecrementCounter(key);

    public override void DecrementCounter(string key, TimeSpan expireIn) => inner.DecrementCounter(key, expireIn);

    public override void AddToSet(string key, string value) => inner.AddToSet(key, value);

    public override void AddToSet(string key, string value, double score) => inner.AddToSet(key, value, score);

    public override void RemoveFromSet(string key, string value) => inner.RemoveFromSet(key, value);

    public override void InsertToList(string key, string value) => inner.InsertToList(key, value);

    public override void RemoveFromList(string key, string value) => inner.RemoveFromList(key, value);

    public override void TrimList(string key, int keepStartingFrom, int keepEndingAt) => inner.TrimList(key, keepStartingFrom, keepEndingAt);

    public override void SetRangeInHash(string key, IEnumerable<KeyValuePair<string, string>> keyValuePairs) => inner.SetRangeInHash(key, keyValuePairs);

    public override void RemoveHash(string key) => inner.RemoveHash(key);

    public override void ExpireSet(string key, TimeSpan expireIn) => Extended.ExpireSet(key, expireIn);

    public override void ExpireList(string key, TimeSpan expireIn) => Extended.ExpireList(key, expireIn);

    public override void ExpireHash(string key, TimeSpan expireIn) => Extended.ExpireHash(key, expireIn);

    public override void PersistSet(string key) => Extended.PersistSet(key);

    public override void PersistList(string key) => Extended.PersistList(key);

    public override void PersistHash(string key) => Extended.PersistHash(key);

    public override void AddRangeToSet(string key, IList<string> items) => Extended.AddRangeToSet(key, items);

    public override void RemoveSet(string key) => Extended.RemoveSet(key);

    public override void AcquireDistributedLock(string resource, TimeSpan timeout) => Extended.AcquireDistributedLock(resource, timeout);

    public override void RemoveFromQueue(IFetchedJob fetchedJob) => Extended.RemoveFromQueue(fetchedJob);

    public override void SetJobParameter(string jobId, string name, string value) => Extended.SetJobParameter(jobId, name, value);

    public override string CreateJob(Job job, IDictionary<string, string> parameters, DateTime createdAt, TimeSpan expireIn) =>
        Extended.CreateJob(job, parameters, createdAt, expireIn);
}
