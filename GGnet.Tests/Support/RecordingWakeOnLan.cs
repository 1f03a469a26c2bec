using GGnet.Core.Domain;
using GGnet.Core.Ports;

namespace GGnet.Tests.Support;

/// <summary>Wake-on-LAN that records which MACs it was asked to wake (the real sender is tested on a socket in a namespace).</summary>
public sealed class RecordingWakeOnLan : IWakeOnLan
{
    private readonly List<MacAddress> _woken = [];
    private readonly List<DateTime> _wokenAt = [];

    public IReadOnlyList<MacAddress> Woken
    {
        get
        {
            lock (_woken)
            {
                return _woken.ToList();
            }
        }
    }

    /// <summary>When each PC of <see cref="Woken"/> was woken, in the same order.</summary>
    public IReadOnlyList<DateTime> WokenAt
    {
        get
        {
            lock (_woken)
            {
                return _wokenAt.ToList();
            }
        }
    }

    public Task<string> SendAsync(MacAddress macAddress, CancellationToken cancellationToken)
    {
        lock (_woken)
        {
            _woken.Add(macAddress);
            _wokenAt.Add(DateTime.UtcNow);
        }
        return Task.FromResult("10.0.0.255:9 via test0");
    }
}
