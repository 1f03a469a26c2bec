using System.Collections.Concurrent;

namespace GGnet.Core.Images;

/// <summary>The conversions running in this process: their progress (for the screens) and how to cancel them.</summary>
public sealed class ImageConversions
{
    private readonly ConcurrentDictionary<int, Running> _running = new();

    /// <summary>Percent done of a running conversion, or null when the version is not converting here.</summary>
    public double? ProgressOf(int versionId) => _running.TryGetValue(versionId, out var running) ? running.Percent : null;

    /// <summary>Registers a conversion; dispose the result when it ends.</summary>
    public Registration Begin(int versionId, CancellationToken jobToken)
    {
        var running = new Running(CancellationTokenSource.CreateLinkedTokenSource(jobToken));
        _running[versionId] = running;
        return new Registration(this, versionId, running);
    }

    /// <summary>Cancels a running conversion; false when none runs here.</summary>
    public bool Cancel(int versionId)
    {
        if (!_running.TryGetValue(versionId, out var running))
        {
            return false;
        }
        try
        {
            running.Cancellation.Cancel();
            return true;
        }
        catch (ObjectDisposedException)
        {
            // It finished just now.
            return false;
        }
    }

    internal sealed class Running(CancellationTokenSource cancellation)
    {
        public CancellationTokenSource Cancellation { get; } = cancellation;

        public double Percent { get; set; }
    }

    public sealed class Registration : IDisposable
    {
        private readonly ImageConversions _owner;
        private readonly int _versionId;
        private readonly Running _running;

        internal Registration(ImageConversions owner, int versionId, Running running) => (_owner, _versionId, _running) = (owner, versionId, running);

        public CancellationToken Token => _running.Cancellation.Token;

        public void Report(double percent) => _running.Percent = percent;

        public void Dispose()
        {
            _owner._running.TryRemove(new KeyValuePair<int, Running>(_versionId, _running));
            _running.Cancellation.Dispose();
        }
    }
}
