namespace GGnet.Core.Ports;

/// <summary>Hands webhook attempts to the job system: each attempt is a job of its own, so a retry waits without holding a worker.</summary>
public interface IWebhookJobs
{
    void EnqueueDelivery(Guid deliveryId);

    void ScheduleDelivery(Guid deliveryId, int attempt, TimeSpan delay);
}
