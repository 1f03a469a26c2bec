using System.ComponentModel.DataAnnotations;

namespace GGnet.Infrastructure.Lab;

/// <summary>
/// Lab mode: GGnet's own private network on this machine (a network namespace with a bridge), where virtual
/// PCs boot. The default, so that trying GGnet never puts a DHCP server on a real network. Section <c>Lab</c>.
/// </summary>
public sealed class LabOptions
{
    public const string Section = "Lab";

    public bool Enabled { get; set; } = true;

    /// <summary>The network namespace GGnet creates for the lab (and removes on shutdown).</summary>
    [Required, RegularExpression("^[a-z][a-z0-9-]{0,14}$", ErrorMessage = "Lab:Namespace must be 1–15 lowercase letters, digits or hyphens, starting with a letter.")]
    public string Namespace { get; set; } = "ggnet-lab";

    /// <summary>The first three octets of the lab's /24; it exists only inside the namespace.</summary>
    [Required, RegularExpression(@"^\d{1,3}\.\d{1,3}\.\d{1,3}$", ErrorMessage = "Lab:SubnetPrefix must look like 10.99.0.")]
    public string SubnetPrefix { get; set; } = "10.99.0";

    /// <summary>At most this many virtual PCs run at once.</summary>
    [Range(1, 64)]
    public int MaxVirtualPcs { get; set; } = 5;

    /// <summary>Memory of each virtual PC.</summary>
    [Range(32, 4096)]
    public int VirtualPcMemoryMiB { get; set; } = 128;

    [Required]
    public string QemuPath { get; set; } = "/usr/bin/qemu-system-x86_64";

    /// <summary>
    /// How virtual PCs run: <c>Auto</c> tries KVM with a test guest at lab start and falls back to emulation (TCG)
    /// when that guest does not get through; <c>Kvm</c> and <c>Tcg</c> choose without trying.
    /// </summary>
    public LabAccelerator Accelerator { get; set; } = LabAccelerator.Auto;

    /// <summary>A running virtual PC whose console printed nothing for this long, and that is not online, is shown as silent.</summary>
    [Range(2, 3600)]
    public int SilentConsoleSeconds { get; set; } = 60;

    /// <summary>OVMF's code and the variables every UEFI virtual PC starts from (Debian's ovmf package).</summary>
    [Required]
    public string UefiCode { get; set; } = "/usr/share/OVMF/OVMF_CODE_4M.fd";

    [Required]
    public string UefiVariablesTemplate { get; set; } = "/usr/share/OVMF/OVMF_VARS_4M.fd";

    /// <summary>The virtio network ROM QEMU loads by default, from ipxe-qemu: iPXE for BIOS and for EFI in one.</summary>
    public const string VirtioRom = "/usr/lib/ipxe/qemu/efi-virtio.rom";

    /// <summary>OVMF with a network boot and a GRUB does not fit in less.</summary>
    public const int UefiMinimumMemoryMiB = 256;

    /// <summary>Where the real-OS image's root filesystem is kept once built from Debian packages, so later builds take seconds.</summary>
    [Required]
    public string RealOsCacheDirectory { get; set; } = "/var/cache/ggnet/realos";

    [Required]
    public string TftpdPath { get; set; } = "/usr/sbin/in.tftpd";

    /// <summary>tgtd's control port inside the lab (its own tgtd, never the system's).</summary>
    [Range(1, 32767)]
    public int TgtControlPort { get; set; } = 23260;

    public string ServerAddress => SubnetPrefix + ".1";
}

/// <summary>How QEMU runs the lab's virtual PCs.</summary>
public enum LabAccelerator
{
    Auto,
    Kvm,
    Tcg,
}
