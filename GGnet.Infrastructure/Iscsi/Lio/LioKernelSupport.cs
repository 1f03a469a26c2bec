using GGnet.Core.Iscsi;

namespace GGnet.Infrastructure.Iscsi.Lio;

/// <summary>
/// LIO lives in the kernel: configfs must be mounted with the target subsystem in it, and targetcli needs root. The
/// service (not root) reaches tgt only, through its root helper, which knows no LIO.
/// </summary>
public sealed class LioKernelSupport(string filesystemsFile = "/proc/filesystems", string targetRoot = "/sys/kernel/config/target", bool? asRoot = null)
{
    public string TargetRoot { get; } = targetRoot;

    public BackendAvailability Check()
    {
        if (!(asRoot ?? Environment.IsPrivilegedProcess))
        {
            return new BackendAvailability(false,
                "LIO needs GGnet to run as root (deploy/run.sh): the ggnet service reaches only tgt, through its root helper. Choose the tgt backend (Iscsi:Backend = Tgt).");
        }
        var hasConfigfs = File.Exists(filesystemsFile)
            && File.ReadLines(filesystemsFile).Any(line => line.Split('\t', ' ').Contains("configfs", StringComparer.Ordinal));
        if (!hasConfigfs || !Directory.Exists(TargetRoot))
        {
            return new BackendAvailability(false,
                $"LIO can't work on this server: " +
                $"the kernel has no configfs/LIO target support ({(hasConfigfs ? TargetRoot + " is missing" : "no configfs in " + filesystemsFile)}). " +
                "Choose the tgt backend (Iscsi:Backend = Tgt), which works here.");
        }
        return new BackendAvailability(true, "The kernel's LIO target is available.");
    }
}
