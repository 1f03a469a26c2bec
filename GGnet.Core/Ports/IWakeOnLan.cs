using GGnet.Core.Domain;

namespace GGnet.Core.Ports;

/// <summary>Sends Wake-on-LAN magic packets on the boot network (in lab mode: the lab's network).</summary>
public interface IWakeOnLan
{
    /// <summary>Sends one magic packet for this MAC; returns where it went, for the audit. A sentence when the boot network is not set up.</summary>
    Task<string> SendAsync(MacAddress macAddress, CancellationToken cancellationToken);
}
