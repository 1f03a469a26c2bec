namespace GGnet.Core.Ports;

/// <summary>Hands image work to background jobs.</summary>
public interface IImageJobs
{
    void EnqueueConversion(int versionId, string node);
}
