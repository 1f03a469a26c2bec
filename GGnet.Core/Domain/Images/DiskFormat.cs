namespace GGnet.Core.Domain.Images;

/// <summary>On-disk formats GGnet knows, as named by qemu-img.</summary>
public enum DiskFormat
{
    Raw,
    Qcow2,
    Vmdk,
    Vhdx,
    Vpc,
}
