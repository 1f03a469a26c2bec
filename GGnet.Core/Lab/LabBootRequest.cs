using GGnet.Core.Domain.Machines;

namespace GGnet.Core.Lab;

/// <summary>What the lab boots: a demo disk that prints a banner, or a real operating system.</summary>
public enum LabImage
{
    Demo,
    RealOs,
}

/// <summary>Boot <paramref name="Count"/> virtual PCs on a lab image; PCs added for it get <paramref name="Firmware"/>.</summary>
public sealed record LabBootRequest(int Count, LabImage Image = LabImage.Demo, Firmware Firmware = Firmware.Bios);
