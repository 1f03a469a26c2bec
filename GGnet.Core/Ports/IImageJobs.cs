namespace GGnet.Core.Ports;

/// <summary>Hands image work to background jobs.</summary>
public interface IImageJobs
{
    void EnqueueConversion(int versionId, string node);

    /// <summary>The version's test boot, on the node that stores it (<see cref="Images.TestCandidate"/>).</summary>
    void EnqueueTrial(int versionId, string node);
}
