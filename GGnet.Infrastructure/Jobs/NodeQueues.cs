namespace GGnet.Infrastructure.Jobs;

/// <summary>
/// The job queues of a node. Every node's job server listens on its own three queues (reconcile first, so a start-up
/// reconcile never waits behind a storm of session starts; image conversions apart), and all nodes share the
/// cluster-wide ones. Node names are host name labels in lowercase, which Hangfire accepts as queue names.
/// </summary>
public static class NodeQueues
{
    /// <summary>Cluster-wide work any node may do (schedules, backups, clean-ups, the minutely reconcile round).</summary>
    public const string Shared = "default";

    public static string Reconcile(string node) => "reconcile-" + node;

    /// <summary>Session disks and targets of this node's storage.</summary>
    public static string Work(string node) => "node-" + node;

    /// <summary>Image conversions of this node's storage, apart so that a long one never holds up a session start.</summary>
    public static string Images(string node) => "images-" + node;
}
