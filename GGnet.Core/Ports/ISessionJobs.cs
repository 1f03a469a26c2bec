namespace GGnet.Core.Ports;

/// <summary>Hands session work to the background job system, on the queue of the node that does it; only ids travel.</summary>
public interface ISessionJobs
{
    void EnqueueProvision(int sessionId, string node);

    /// <summary>A bulk start's sessions as one job: each provisioned as its own job would be, several at a time.</summary>
    void EnqueueProvision(IReadOnlyList<int> sessionIds, string node);

    void EnqueueTeardown(int sessionId, string node);

    /// <summary>A bulk stop's sessions as one job: each torn down as its own job would be, several at a time.</summary>
    void EnqueueTeardown(IReadOnlyList<int> sessionIds, string node);

    /// <summary>One reconcile pass on that node (its targets, its disks, its sessions).</summary>
    void EnqueueReconcile(string node);
}
