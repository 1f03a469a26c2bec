using System.Globalization;

namespace GGnet.Infrastructure.Lab;

/// <summary>
/// What every QEMU PC of GGnet's has on its command line, the lab's virtual PCs and the candidates' test boots alike: a
/// name, an accelerator, a PC machine, its memory, no window and no monitor, a network boot, and its serial console in a
/// file. Its screen, firmware (<see cref="QemuFirmware"/>) and network card are each caller's.
/// </summary>
public static class QemuPc
{
    public static string[] HeadlessNetworkBoot(string name, string accel, int memoryMiB, string consoleFile) =>
    [
        "-name", name,
        "-accel", accel,
        "-machine", "pc",
        "-m", memoryMiB.ToString(CultureInfo.InvariantCulture),
        "-display", "none", "-monitor", "none",
        "-boot", "order=n",
        "-serial", "file:" + consoleFile,
    ];
}
