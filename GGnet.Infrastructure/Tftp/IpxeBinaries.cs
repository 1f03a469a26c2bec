using GGnet.Core.Ports;
using GGnet.Infrastructure.Boot;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Tftp;

/// <summary>The iPXE programs from Debian's ipxe package (/usr/lib/ipxe).</summary>
public sealed class IpxeBinaries(IOptions<BootOptions> options) : IIpxeBinaries
{
    public IReadOnlyList<string> Names { get; } = ["undionly.kpxe", "ipxe.efi", "snponly.efi"];

    public async Task<byte[]?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        if (!Names.Contains(name, StringComparer.Ordinal))
        {
            return null;
        }
        var path = Path.Combine(options.Value.IpxeDirectory, name);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
    }
}
