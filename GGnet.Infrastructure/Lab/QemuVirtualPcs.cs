using System.Collections.Concurrent;
using System.Globalization;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Errors;
using GGnet.Core.Lab;
using GGnet.Core.Machines;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Iscsi.Tgt;
using GGnet.Infrastructure.Persistence;
using GGnet.Infrastructure.Processes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Lab;

/// <summary>
/// Virtual PCs as QEMU guests (KVM when the machine has it, else emulation) on taps in the lab bridge, each with
/// QEMU's iPXE network ROM and one serial console that carries the firmware, iPXE and the booted disk's output.
/// </summary>
public sealed class QemuVirtualPcs(
    LabNetwork lab,
    IOptions<LabOptions> options,
    IOptions<DatabaseOptions> database,
    IBootRepository boot,
    TgtBackend tgt,
    AcceleratorProbe accelerator,
    IStatusNotifier notifier,
    TimeProvider clock,
    IServiceScopeFactory scopes,
    ILogger<QemuVirtualPcs> logger) : IVirtualPcs, IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan SilenceCheck = TimeSpan.FromSeconds(5);

    // How long a guest told to quit has before it is killed.
    private static readonly TimeSpan GuestQuitGrace = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<int, SupervisedProcess> _running = new();
    private readonly ConcurrentDictionary<int, DateTime> _poweredOnAt = new();
    private readonly CancellationTokenSource _watching = new();
    private HashSet<int> _silent = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly LabPaths _paths = new(database.Value.DataDirectory);
    private bool _stopping;

    public IReadOnlyCollection<int> PoweredOn => _running.Keys.ToList();

    public async Task PowerOnAsync(Machine machine, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (lab.Namespace is not { } network || !lab.Status.Running)
            {
                throw new ConflictException(lab.Status.Sentence);
            }
            if (_running.ContainsKey(machine.Id))
            {
                return;
            }
            var max = options.Value.MaxVirtualPcs;
            if (_running.Count >= max)
            {
                throw new ConflictException($"{max} virtual PCs are running, the most the lab allows (Lab:MaxVirtualPcs). Power one off first.");
            }
            if (_stopping)
            {
                throw new ConflictException("GGnet is stopping; virtual PCs can be powered on again when it is back.");
            }
            // Waits for the lab's KVM test at the first power-on after a start (seconds, once).
            var accel = (await accelerator.ChooseAsync()).Accel;
            var tap = TapOf(machine.Id);
            try
            {
                await network.RunAsync(["ip", "tuntap", "add", "dev", tap, "mode", "tap"], cancellationToken);
                await network.RunAsync(["ip", "link", "set", tap, "master", LabNetwork.Bridge], cancellationToken);
                await network.RunAsync(["ip", "link", "set", tap, "up"], cancellationToken);

                var folder = _paths.PcFolder(machine.Id);
                Directory.CreateDirectory(folder);
                File.Delete(ConsoleOf(machine.Id));
                // SeaBIOS's serial console (and so iPXE's) goes to COM1 (0x3f8), where the demo disk prints too.
                var sercon = Path.Combine(folder, "sercon-port.bin");
                await File.WriteAllBytesAsync(sercon, [0xf8, 0x03], cancellationToken);
                if (machine.Firmware == Firmware.Uefi)
                {
                    // Each UEFI PC keeps its own firmware variables (boot order, like a real board's NVRAM).
                    var variables = UefiVariablesOf(machine.Id);
                    if (!File.Exists(variables))
                    {
                        File.Copy(options.Value.UefiVariablesTemplate, variables);
                    }
                }
                // Its own session: a Ctrl+C meant for GGnet does not reach the guest; GGnet powers it off in order.
                var pc = SupervisedProcess.Start("setsid",
                    ["ip", "netns", "exec", network.Name, options.Value.QemuPath, .. QemuArguments(machine, tap, sercon, accel)],
                    Path.Combine(folder, "qemu.log"));
                _running[machine.Id] = pc;
                _poweredOnAt[machine.Id] = clock.GetUtcNow().UtcDateTime;
                _ = WatchAsync(machine.Id, pc);
                logger.LogInformation("Virtual PC {Name} powered on (pid {Pid}, {Accel})", machine.Name, pc.Pid, accel);
            }
            catch (Exception failed) when (failed is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or OperationCanceledException)
            {
                await RemoveTapAsync(network, tap);
                if (failed is OperationCanceledException)
                {
                    throw;
                }
                throw new ConflictException($"GGnet could not power on '{machine.Name}': {failed.Message}");
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<bool> PowerOffAsync(int machineId, CancellationToken cancellationToken)
    {
        // Under the gate: a power-on of the same PC (a click, a wake-up) waits until its tap is gone.
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_running.TryRemove(machineId, out var pc))
            {
                return false;
            }
            _poweredOnAt.TryRemove(machineId, out _);
            await pc.StopAsync(GuestQuitGrace);
            await pc.DisposeAsync();
            await AfterPowerOffAsync(machineId, cancellationToken);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<string> ReadConsoleAsync(int machineId, CancellationToken cancellationToken) => SerialConsole.ReadTailAsync(ConsoleOf(machineId), cancellationToken);

    public string ConsoleOf(int machineId) => Path.Combine(_paths.PcFolder(machineId), "console.log");

    private static string TapOf(int machineId) => "vpc" + machineId.ToString(CultureInfo.InvariantCulture);

    public DateTime? PoweredOnAt(int machineId) =>
        _running.ContainsKey(machineId) && _poweredOnAt.TryGetValue(machineId, out var at) ? at : null;

    public string? WarningFor(int machineId)
    {
        if (!_poweredOnAt.TryGetValue(machineId, out var poweredOnAt) || !_running.ContainsKey(machineId))
        {
            return null;
        }
        var console = ConsoleOf(machineId);
        var lastOutput = File.Exists(console) ? File.GetLastWriteTimeUtc(console) : DateTime.MinValue;
        var silence = clock.GetUtcNow().UtcDateTime - (lastOutput > poweredOnAt ? lastOutput : poweredOnAt);
        return silence.TotalSeconds < options.Value.SilentConsoleSeconds
            ? null
            : $"Its console has printed nothing for {Duration(silence)}: the virtual PC may have stopped. " +
              "Read its console on the machine page, or power it off and on again.";
    }

    private static string Duration(TimeSpan span) => span.TotalMinutes < 2
        ? $"{(int)span.TotalSeconds} s"
        : $"{(int)span.TotalMinutes} min";

    // Nothing else tells the screens that a console went quiet: look every few seconds and announce the PCs that
    // became silent or spoke again.
    private async Task WatchSilenceAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(SilenceCheck, clock);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            var silent = _running.Keys.Where(id => WarningFor(id) is not null).ToHashSet();
            foreach (var id in silent.Except(_silent).Concat(_silent.Except(silent)))
            {
                notifier.MachineObserved(id);
            }
            _silent = silent;
        }
    }

    private string UefiVariablesOf(int machineId) => Path.Combine(_paths.PcFolder(machineId), "uefi-vars.fd");

    /// <summary>
    /// The PC's QEMU command line. Its network card is virtio (the drivers every Linux kernel has). A BIOS PC runs
    /// iPXE from the card's ROM; a UEFI PC runs OVMF, whose own PXE client loads GGnet's ipxe.efi over TFTP, as a
    /// real UEFI board does.
    /// </summary>
    private string[] QemuArguments(Machine machine, string tap, string sercon, string accel)
    {
        var lab = options.Value;
        var uefi = machine.Firmware == Firmware.Uefi;
        var memory = uefi ? Math.Max(lab.VirtualPcMemoryMiB, LabOptions.UefiMinimumMemoryMiB) : lab.VirtualPcMemoryMiB;
        var firmware = QemuFirmware.Arguments(machine.Firmware, lab.UefiCode, UefiVariablesOf(machine.Id), sercon);
        return
        [
            .. QemuPc.HeadlessNetworkBoot(machine.Name.Value, accel, memory, ConsoleOf(machine.Id)),
            "-vga", "none",
            .. firmware,
            "-netdev", $"tap,id=n0,ifname={tap},script=no,downscript=no",
            // QEMU's own choice of ROM (ipxe-qemu's efi-virtio.rom): SeaBIOS does not run the same file named as romfile=.
            "-device", $"virtio-net-pci,netdev=n0,mac={machine.MacAddress.Value}{(uefi ? ",romfile=" : "")}",
        ];
    }

    // A guest that ends by itself (crash, shut down from inside) is cleaned up and recorded like a power-off.
    private async Task WatchAsync(int machineId, SupervisedProcess pc)
    {
        await pc.Exited;
        await _gate.WaitAsync();
        try
        {
            if (!_running.TryGetValue(machineId, out var current) || current != pc || !_running.TryRemove(machineId, out _))
            {
                return;
            }
            _poweredOnAt.TryRemove(machineId, out _);
            logger.LogWarning("Virtual PC {MachineId} ended by itself; see {Log}", machineId, Path.Combine(_paths.PcFolder(machineId), "qemu.log"));
            await pc.DisposeAsync();
            await AfterPowerOffAsync(machineId, CancellationToken.None);
        }
        finally
        {
            _gate.Release();
        }
        await RecordOffAsync(machineId);
    }

    private async Task RecordOffAsync(int machineId)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var machine = await scope.ServiceProvider.GetRequiredService<GetMachine>().ExecuteAsync(machineId, CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<RecordVirtualPcOff>().ExecuteAsync(machine, CancellationToken.None);
        }
        catch (NotFoundException)
        {
            // The machine was deleted meanwhile: nothing to record.
        }
    }

    // The guest is gone but its TCP connection to tgtd is not: drop it, or the PC would look online.
    private async Task AfterPowerOffAsync(int machineId, CancellationToken cancellationToken)
    {
        if (lab.Namespace is { } network)
        {
            await RemoveTapAsync(network, TapOf(machineId));
        }
        if (await boot.FindActiveTargetAsync(machineId, cancellationToken) is { } target)
        {
            try
            {
                await tgt.DropConnectionsAsync(target.TargetIqn, cancellationToken);
            }
            catch (GGnet.Core.Iscsi.IscsiBackendException problem)
            {
                logger.LogWarning("Could not drop the disk connection of virtual PC {MachineId}: {Reason}", machineId, problem.Message);
            }
        }
    }

    private static async Task RemoveTapAsync(NetworkNamespace network, string tap)
    {
        try
        {
            await network.RunAsync(["ip", "link", "del", tap], CancellationToken.None);
        }
        catch (IOException)
        {
            // Not there: nothing to remove.
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = WatchSilenceAsync(_watching.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    /// <summary>GGnet is stopping: every virtual PC is powered off (before tgtd and the lab network go) and shown Offline.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        await _watching.CancelAsync();
        // Every guest is told to quit at once: GGnet's stop then waits for the slowest of them, not for their sum, which
        // for many emulated PCs on a busy server can outlast what the host gives its services to stop, and the lab
        // network's teardown after them would not run.
        await Task.WhenAll(_running.Values.ToList().Select(pc => pc.StopAsync(GuestQuitGrace)));
        foreach (var id in _running.Keys.ToList())
        {
            if (await PowerOffAsync(id, CancellationToken.None))
            {
                await RecordOffAsync(id);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pc in _running.Values)
        {
            await pc.DisposeAsync();
        }
        _running.Clear();
        _gate.Dispose();
        _watching.Dispose();
    }
}
