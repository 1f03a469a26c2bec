namespace GGnet.Core.Ports;

/// <summary>Hands session work to the background job system; only ids travel.</summary>
public interface ISessionJobs
{
    void EnqueueProvision(int sessionId);

    void EnqueueTeardown(int sessionId);

    void EnqueueReconcile();
}
