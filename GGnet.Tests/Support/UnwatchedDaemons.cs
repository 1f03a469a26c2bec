using GGnet.Core.Ports;

namespace GGnet.Tests.Support;

/// <summary>Boot daemons GGnet does not watch (as in lab mode): health goes by what GGnet last wrote.</summary>
public sealed class UnwatchedDaemons : IBootDaemons
{
    public Task<DaemonCheck?> CheckDhcpAsync(CancellationToken cancellationToken) => Task.FromResult<DaemonCheck?>(null);

    public Task<DaemonCheck?> CheckTftpAsync(CancellationToken cancellationToken) => Task.FromResult<DaemonCheck?>(null);
}
