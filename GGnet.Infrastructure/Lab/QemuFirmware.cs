using GGnet.Core.Domain.Machines;

namespace GGnet.Infrastructure.Lab;

/// <summary>
/// A QEMU PC's firmware on its command line, the same for the lab's virtual PCs and the candidates' test boots: for UEFI,
/// OVMF's code (read-only) and the PC's own variables file; for BIOS, SeaBIOS writing its screen to a serial console file.
/// </summary>
public static class QemuFirmware
{
    public static string[] Arguments(Firmware firmware, string uefiCode, string uefiVariables, string sercon) =>
        firmware == Firmware.Uefi
            ? ["-drive", $"if=pflash,format=raw,readonly=on,file={uefiCode}", "-drive", $"if=pflash,format=raw,file={uefiVariables}"]
            : ["-fw_cfg", $"name=etc/sercon-port,file={sercon}"];
}
