namespace GGnet.Core.Ports;

/// <summary>The iPXE programs PXE ROMs load (undionly.kpxe, ipxe.efi, snponly.efi), from the system's ipxe package.</summary>
public interface IIpxeBinaries
{
    IReadOnlyList<string> Names { get; }

    /// <summary>The file's bytes, or null when the name is not one of <see cref="Names"/> or the file is missing.</summary>
    Task<byte[]?> ReadAsync(string name, CancellationToken cancellationToken);
}
