namespace GGnet.Core.Storage;

/// <summary>The disk storage's fill level over the last day (one sample every few minutes), for the Images page's chart.</summary>
public sealed class StorageHistory
{
    public const int MaxSamples = 288;

    private readonly Queue<StorageSample> _samples = new();

    public void Record(DateTime at, double usedPercent)
    {
        lock (_samples)
        {
            _samples.Enqueue(new StorageSample(at, usedPercent));
            while (_samples.Count > MaxSamples)
            {
                _samples.Dequeue();
            }
        }
    }

    public IReadOnlyList<StorageSample> Samples()
    {
        lock (_samples)
        {
            return _samples.ToList();
        }
    }
}

public sealed record StorageSample(DateTime At, double UsedPercent);
