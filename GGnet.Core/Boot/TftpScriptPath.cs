using GGnet.Core.Domain;

namespace GGnet.Core.Boot;

/// <summary>
/// Where a PC's own script lives in the TFTP root, <c>machines/&lt;mac&gt;.ipxe</c>: written by GGnet (the boot sync, a
/// session's start and stop), fetched by the PC's iPXE when HTTP fails or when the machine is set to TFTP.
/// </summary>
public static class TftpScriptPath
{
    /// <summary>The folder of the PCs' scripts, in the TFTP root.</summary>
    public const string Folder = "machines";

    /// <summary>The same path as iPXE spells it for the PC that runs the script: its own MAC, hyphenated.</summary>
    public const string OfThisPc = Folder + "/${mac:hexhyp}.ipxe";

    /// <summary>The script's path for the PC with this MAC address (as iPXE's <c>${mac:hexhyp}</c> spells it).</summary>
    public static string Of(MacAddress macAddress) => $"{Folder}/{macAddress.Hyphenated}.ipxe";
}
