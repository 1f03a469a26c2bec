namespace GGnet.Core.Domain.Machines;

/// <summary>How the PC's firmware network-boots: legacy BIOS PXE or UEFI.</summary>
public enum Firmware
{
    Bios,
    Uefi,
}
