using System.Globalization;
using System.Text;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Errors;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Files;
using GGnet.Infrastructure.Iscsi;
using GGnet.Infrastructure.Lab;
using GGnet.Infrastructure.Persistence;
using GGnet.Infrastructure.Processes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.TestBoots;

/// <summary>
/// The test-boot bench: one headless QEMU PC at a time behind QEMU's user-mode network in restricted mode. Its DHCP and TFTP
/// are QEMU's own, inside the QEMU process, and hand the PC its script; the one way out is the iSCSI portal, forwarded by a
/// socat per connection from the PC's <see cref="PortalSeenByPc"/>. So the PC sends nothing to the boot LAN (no address,
/// no DHCP, no broadcast), nothing on the LAN reaches it, and it needs no tap, bridge or privilege. It runs where the target
/// daemon listens: inside the lab's network namespace in lab mode, else on the server itself.
/// </summary>
public sealed class QemuTrialBench(
    IOptions<TestBootOptions> options,
    IOptions<LabOptions> lab,
    IOptions<IscsiOptions> iscsi,
    IOptions<DatabaseOptions> database,
    LabNetwork labNetwork,
    AcceleratorProbe accelerator,
    ILogger<QemuTrialBench> logger) : ITrialBench, IDisposable
{
    private readonly SemaphoreSlim _one = new(1, 1);
    private bool _leftoversStopped;
    private readonly string _root = Path.Combine(Path.GetFullPath(database.Value.DataDirectory), "test-boots");

    public Ipv4Address PortalSeenByPc { get; } = Ipv4Address.Parse("10.0.2.100");

    public void Dispose() => _one.Dispose();

    public string? ScreenOf(string name)
    {
        var screen = Path.Combine(FolderOf(name), "screen.png");
        return File.Exists(screen) ? screen : null;
    }

    public async Task<IBenchRun> PowerOnAsync(BenchBoot boot, CancellationToken cancellationToken)
    {
        var folder = FolderOf(boot.Name);
        if (folder.Contains(',', StringComparison.Ordinal))
        {
            throw new ConflictException($"The test-boot folder {folder} has a comma in its path, which QEMU can't take: choose a data directory without one.");
        }
        // One bench PC at a time: a test boot is a whole PC's work for the server.
        await _one.WaitAsync(cancellationToken);
        try
        {
            if (!_leftoversStopped)
            {
                StopLeftovers(_root);
                _leftoversStopped = true;
            }
            var accel = (await accelerator.ChooseAsync()).Accel;
            var tftp = Path.Combine(folder, "tftp");
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.CreateDirectory(tftp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            foreach (var leftover in new[] { "console.log", "qmp.sock", "screen.png" })
            {
                File.Delete(Path.Combine(folder, leftover));
            }
            // The script holds the target's CHAP secret: readable by GGnet only, and gone with the run.
            await AtomicFile.WriteAsync(Path.Combine(tftp, "boot.ipxe"), Encoding.ASCII.GetBytes(boot.Script), cancellationToken,
                UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var sercon = Path.Combine(folder, "sercon-port.bin");
            await File.WriteAllBytesAsync(sercon, [0xf8, 0x03], cancellationToken);
            if (boot.Firmware == Firmware.Uefi)
            {
                File.Copy(lab.Value.UefiVariablesTemplate, Path.Combine(folder, "uefi-vars.fd"), overwrite: true);
            }
            string[] qemu = [lab.Value.QemuPath, .. Arguments(boot, folder, tftp, sercon, accel)];
            string[] command = NetworkNamespace() is { } name ? ["ip", "netns", "exec", name, .. qemu] : qemu;
            var pc = SupervisedProcess.Start("setsid", command, Path.Combine(folder, "qemu.log"));
            logger.LogInformation("Test boot {Name} powered on ({Firmware}, {Accel}, pid {Pid})", boot.Name, boot.Firmware, accel, pc.Pid);
            return new Run(pc, folder, _one);
        }
        catch (Exception failed)
        {
            _one.Release();
            if (failed is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
            {
                throw new ConflictException($"GGnet could not power the test-boot PC on: {failed.Message}");
            }
            throw;
        }
    }

    private string FolderOf(string name) => Path.Combine(_root, name);

    /// <summary>
    /// Ends the bench PCs a GGnet killed without warning left running (in lab mode the lab's namespace goes with them anyway): each
    /// QEMU named its pid in its run's folder; only a process whose command line names that folder is ended.
    /// </summary>
    public static void StopLeftovers(string root)
    {
        if (!Directory.Exists(root))
        {
            return;
        }
        foreach (var pidFile in Directory.EnumerateFiles(root, "qemu.pid", SearchOption.AllDirectories))
        {
            var folder = Path.GetDirectoryName(pidFile)!;
            if (int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/cmdline").Contains(folder + "/", StringComparison.Ordinal))
            {
                try
                {
                    using var leftover = System.Diagnostics.Process.GetProcessById(pid);
                    leftover.Kill();
                    leftover.WaitForExit(5000);
                }
                catch (Exception gone) when (gone is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // It ended meanwhile.
                }
            }
            File.Delete(pidFile);
        }
    }

    // Where tgtd listens: the lab's namespace in lab mode, the one iSCSI is set to run in, or the server's own.
    private string? NetworkNamespace() =>
        labNetwork.Namespace is { } labNamespace && labNetwork.Status.Running ? labNamespace.Name : iscsi.Value.NetworkNamespace;

    // Restricted user-mode network: QEMU's DHCP gives the PC 10.0.2.15 and boot.ipxe from its TFTP folder; the portal's
    // address is forwarded, one socat per connection, to the real portal (an address, so nothing of it needs quoting).
    private string[] Arguments(BenchBoot boot, string folder, string tftp, string sercon, string accel)
    {
        var uefi = boot.Firmware == Firmware.Uefi;
        var forward = $"tcp:{PortalSeenByPc}:3260-cmd:socat - TCP:{boot.Portal}:3260";
        var firmware = QemuFirmware.Arguments(boot.Firmware, lab.Value.UefiCode, Path.Combine(folder, "uefi-vars.fd"), sercon);
        return
        [
            .. QemuPc.HeadlessNetworkBoot("ggnet-" + boot.Name, accel, options.Value.MemoryMiB, Path.Combine(folder, "console.log")),
            // A screen to take a picture of, through QMP.
            "-vga", "std",
            "-qmp", $"unix:{Path.Combine(folder, "qmp.sock")},server=on,wait=off",
            "-pidfile", Path.Combine(folder, "qemu.pid"),
            .. firmware,
            "-netdev", $"user,id=n0,restrict=on,tftp={tftp},bootfile=boot.ipxe,guestfwd={forward}",
            // QEMU's own ROM for both firmwares (iPXE for BIOS and EFI): it runs boot.ipxe itself.
            "-device", "virtio-net-pci,netdev=n0",
        ];
    }

    private sealed class Run(SupervisedProcess pc, string folder, SemaphoreSlim one) : IBenchRun
    {
        private int _disposed;

        public bool Ended => pc.HasExited;

        public Task<string> ReadConsoleAsync(CancellationToken cancellationToken) => SerialConsole.ReadTailAsync(Path.Combine(folder, "console.log"), cancellationToken);

        public async Task<bool> SaveScreenAsync(CancellationToken cancellationToken)
        {
            if (pc.HasExited)
            {
                return false;
            }
            var screen = Path.Combine(folder, "screen.png");
            var taking = screen + ".tmp";
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                if (!await QmpClient.ScreendumpAsync(Path.Combine(folder, "qmp.sock"), taking, timeout.Token) || !File.Exists(taking))
                {
                    return false;
                }
                File.Move(taking, screen, overwrite: true);
                return true;
            }
            catch (Exception failed) when (failed is IOException or System.Net.Sockets.SocketException or OperationCanceledException or System.Text.Json.JsonException)
            {
                return false;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }
            try
            {
                await pc.StopAsync(TimeSpan.FromSeconds(2));
                await pc.DisposeAsync();
                Directory.Delete(Path.Combine(folder, "tftp"), recursive: true);
            }
            finally
            {
                one.Release();
            }
        }
    }
}
