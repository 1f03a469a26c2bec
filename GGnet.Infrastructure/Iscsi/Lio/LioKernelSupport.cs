using GGnet.Core.Iscsi;

namespace GGnet.Infrastructure.Iscsi.Lio;

/// <summary>LIO lives in the kernel: configfs must be mounted with the target subsystem in it.</summary>
public sealed class LioKernelSupport(string filesystemsFile = "/proc/filesystems", string targetRoot = "/sys/kernel/config/target")
{
    public string TargetRoot { get; } = targetRoot;

    public BackendAvailability Check()
    {
        var hasConfigfs = File.Exists(filesystemsFile)
            && File.ReadLines(filesystemsFile).Any(line => line.Split('\t', ' ').Contains("configfs", StringComparer.Ordinal));
        if (!hasConfigfs || !Directory.Exists(TargetRoot))
        {
            return new BackendAvailability(false,
                $"LIO can't work on this server: the kernel has no configfs/LIO target support ({(hasConfigfs ? TargetRoot + " is missing" : "no configfs in " + filesystemsFile)}). Choose the tgt backend (Iscsi:Backend = Tgt), which works here.");
        }
        return new BackendAvailability(true, "The kernel's LIO target is available.");
    }
}
