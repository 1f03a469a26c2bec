using GGnet.Core.Domain;
using GGnet.Core.Ports;

namespace GGnet.Tests.Support;

/// <summary>Wake-on-LAN that records which MACs it was asked to wake (the real sender is tested on a socket in a namespace).</summary>
public sealed class RecordingWakeOnLan : IWakeOnLan
{
    private readonly List<MacAddress> _woken = [];

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

    public Task<string> SendAsync(MacAddress macAddress, CancellationToken cancellationToken)
    {
        lock (_woken)
        {
            _woken.Add(macAddress);
        }
        return Task.FromResult("10.0.0.255:9 via test0");
    }
}
