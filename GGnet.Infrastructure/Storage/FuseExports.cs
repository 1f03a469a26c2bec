using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using GGnet.Core.Storage;
using GGnet.Infrastructure.Processes;
using Microsoft.Extensions.Logging;

namespace GGnet.Infrastructure.Storage;

/// <summary>
/// One <c>qemu-storage-daemon</c> per served overlay: it opens the qcow2 overlay (and through it the image version)
/// and exports it as a plain file over FUSE at the session disk's path, where the iSCSI target reads and writes it.
/// No kernel NBD needed. The daemon outlives a restart of GGnet (PCs keep their disks); its pid file says which
/// process is whose, so only GGnet's own daemons are ever stopped.
/// </summary>
public sealed class FuseExports(ExternalCommand commands, ILogger<FuseExports> logger)
{
    public const string Program = "qemu-storage-daemon";

    private readonly ConcurrentDictionary<string, byte> _served = new(StringComparer.Ordinal);

    /// <summary>The exports this GGnet started or found running that have died since (each reported once).</summary>
    public IReadOnlyList<string> TakeDead()
    {
        var dead = _served.Keys.Where(mountPoint => !IsServed(mountPoint)).ToList();
        foreach (var mountPoint in dead)
        {
            _served.TryRemove(mountPoint, out _);
        }
        return dead;
    }

    /// <summary>Whether the export at the mount point runs; one that does is watched from now on (found running after a restart, it is adopted).</summary>
    public bool CheckServed(string mountPoint)
    {
        if (!IsServed(mountPoint))
        {
            return false;
        }
        _served[mountPoint] = 0;
        return true;
    }

    /// <summary>Serves the overlay at the mount point, unless its daemon already does; a dead one's leftovers are cleared first.</summary>
    public async Task<DiskServing> EnsureAsync(string overlay, string mountPoint, CancellationToken cancellationToken)
    {
        if (CheckServed(mountPoint))
        {
            return DiskServing.AlreadyServed;
        }
        await StopAsync(mountPoint, cancellationToken);
        if (!File.Exists(overlay))
        {
            throw new IOException($"the overlay {overlay} is missing");
        }
        // FUSE mounts over a regular file: the session disk's name is that file.
        using (File.Open(mountPoint, FileMode.OpenOrCreate, FileAccess.Write))
        {
        }
        Directory.CreateDirectory(Path.GetDirectoryName(PidFileOf(mountPoint))!);
        // JSON option values: a path with a comma or an equals sign can't be misread as another option.
        var result = await commands.RunAsync(Program,
        [
            "--blockdev", Json(new Dictionary<string, object> { ["driver"] = "file", ["node-name"] = "file0", ["filename"] = overlay }),
            "--blockdev", Json(new Dictionary<string, object> { ["driver"] = "qcow2", ["node-name"] = "disk0", ["file"] = "file0" }),
            // allow-other: tgtd (root, another user than an unprivileged GGnet) must open the file. "on", not qemu's "auto":
            // without user_allow_other in /etc/fuse.conf the export then fails with fusermount3's reason instead of
            // quietly mounting a file only GGnet can read.
            "--export", Json(new Dictionary<string, object> { ["type"] = "fuse", ["id"] = "disk", ["node-name"] = "disk0", ["mountpoint"] = mountPoint, ["writable"] = true, ["allow-other"] = "on" }),
            "--pidfile", PidFileOf(mountPoint),
            "--daemonize",
        ], cancellationToken, TimeSpan.FromSeconds(30));
        if (!result.Succeeded || !IsServed(mountPoint))
        {
            await StopAsync(mountPoint, CancellationToken.None);
            throw new IOException($"{Program} could not export {Path.GetFileName(overlay)}: {(result.Succeeded ? "its mount did not appear" : result.Explanation)}");
        }
        _served[mountPoint] = 0;
        logger.LogInformation("Serving {Overlay} at {MountPoint} (qemu-storage-daemon pid {Pid})", overlay, mountPoint, DaemonOf(mountPoint));
        return DiskServing.Started;
    }

    /// <summary>Stops the export: SIGTERM (the daemon unmounts and leaves), SIGKILL if it lingers, and a lazy unmount of what a killed one left.</summary>
    public async Task StopAsync(string mountPoint, CancellationToken cancellationToken)
    {
        _served.TryRemove(mountPoint, out _);
        if (DaemonOf(mountPoint) is { } pid)
        {
            await commands.RunAsync("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)], cancellationToken);
            for (var waited = 0; waited < 50 && IsRunning(pid, mountPoint); waited++)
            {
                await Task.Delay(100, cancellationToken);
            }
            if (IsRunning(pid, mountPoint))
            {
                logger.LogWarning("{Program} {Pid} did not stop on SIGTERM; killing it", Program, pid);
                await commands.RunAsync("kill", ["-KILL", pid.ToString(CultureInfo.InvariantCulture)], cancellationToken);
            }
        }
        if (MountInfo.IsMounted(mountPoint))
        {
            var (program, arguments) = UnmountCommand(Environment.IsPrivilegedProcess, mountPoint);
            var unmount = await commands.RunAsync(program, arguments, cancellationToken);
            if (!unmount.Succeeded)
            {
                throw new IOException($"the dead export at {mountPoint} could not be unmounted: {unmount.Explanation}");
            }
        }
        if (File.Exists(PidFileOf(mountPoint)))
        {
            File.Delete(PidFileOf(mountPoint));
        }
    }

    /// <summary>
    /// A lazy unmount of a dead export: <c>umount -l</c> as root; as an unprivileged user (who mounted it through the
    /// setuid fusermount3) <c>fusermount3 -u -z</c>, which lets a user unmount their own FUSE mounts.
    /// </summary>
    public static (string Program, string[] Arguments) UnmountCommand(bool privileged, string mountPoint) =>
        privileged ? ("umount", ["-l", "--", mountPoint]) : ("fusermount3", ["-u", "-z", "--", mountPoint]);

    /// <summary>Stops every export this GGnet serves (their data stays).</summary>
    public async Task StopAllAsync()
    {
        foreach (var mountPoint in _served.Keys.ToList())
        {
            try
            {
                await StopAsync(mountPoint, CancellationToken.None);
            }
            catch (IOException failed)
            {
                logger.LogError("Could not stop the export at {MountPoint}: {Reason}", mountPoint, failed.Message);
            }
        }
    }

    /// <summary>Whether the mount point is a live export: mounted, and its daemon still running.</summary>
    public static bool IsServed(string mountPoint) => MountInfo.IsMounted(mountPoint) && DaemonOf(mountPoint) is { } pid && IsRunning(pid, mountPoint);

    private static string PidFileOf(string mountPoint) =>
        Path.Combine(Path.GetDirectoryName(mountPoint)!, ".exports", Path.GetFileName(mountPoint) + ".pid");

    private static int? DaemonOf(string mountPoint)
    {
        try
        {
            return int.TryParse(File.ReadAllText(PidFileOf(mountPoint)).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception missing) when (missing is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    // The pid must still be a qemu-storage-daemon exporting this very path: a recycled pid is never signalled.
    private static bool IsRunning(int pid, string mountPoint)
    {
        try
        {
            var arguments = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline").Split('\0');
            return arguments.Length > 0 && Path.GetFileName(arguments[0]) == Program && arguments.Any(a => a.Contains(JsonSerializer.Serialize(mountPoint), StringComparison.Ordinal));
        }
        catch (Exception gone) when (gone is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    private static string Json(Dictionary<string, object> value) => JsonSerializer.Serialize(value);
}
