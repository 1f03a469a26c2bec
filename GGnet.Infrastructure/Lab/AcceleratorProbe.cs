using GGnet.Infrastructure.Persistence;
using GGnet.Infrastructure.Processes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Lab;

/// <summary>How virtual PCs run (QEMU's <c>-accel</c> value) and the sentence that tells the admin why.</summary>
public sealed record AcceleratorChoice(string Accel, string Sentence);

/// <summary>
/// Finds out, once per lab start, whether virtual PCs can use KVM. A <c>/dev/kvm</c> that exists is no proof: some
/// kernels offer a KVM that runs a plain boot sector but stops a guest inside PC firmware (iPXE), so a boot sector
/// that prints a line passes there and every real PC then hangs. The test guest therefore runs what a virtual PC
/// runs first — SeaBIOS and iPXE from QEMU's network ROM, on a network card with nothing behind it — and KVM is
/// used only when iPXE gets as far as opening that card within <see cref="Patience"/>.
/// </summary>
public sealed class AcceleratorProbe(IOptions<LabOptions> options, IOptions<DatabaseOptions> database, ILogger<AcceleratorProbe> logger) : IDisposable
{
    /// <summary>iPXE prints this when it opens its network card, after everything that hangs under a broken KVM.</summary>
    public const string ThroughMarker = "net0:";

    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(8);

    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private Task<AcceleratorChoice>? _choice;

    /// <summary>The KVM device whose presence makes <c>Auto</c> try KVM.</summary>
    public string KvmDevice { get; init; } = "/dev/kvm";

    /// <summary>The choice once it is made; null while the test guest runs.</summary>
    public AcceleratorChoice? Known => _choice is { IsCompletedSuccessfully: true } choice ? choice.Result : null;

    /// <summary>Starts finding out on the first call; every call answers the same.</summary>
    public Task<AcceleratorChoice> ChooseAsync()
    {
        lock (_lock)
        {
            return _choice ??= Task.Run(() => FindOutAsync(_stopping.Token));
        }
    }

    private async Task<AcceleratorChoice> FindOutAsync(CancellationToken cancellationToken)
    {
        var choice = options.Value.Accelerator switch
        {
            LabAccelerator.Kvm => new AcceleratorChoice("kvm", "Virtual PCs run with KVM, as Lab:Accelerator says."),
            LabAccelerator.Tcg => new AcceleratorChoice("tcg", "Virtual PCs run under emulation (TCG), as Lab:Accelerator says."),
            _ when !File.Exists(KvmDevice) => Emulated($"this machine has no {KvmDevice}"),
            _ => await TryKvmAsync(cancellationToken),
        };
        logger.LogInformation("Lab accelerator: {Accel}. {Sentence}", choice.Accel, choice.Sentence);
        return choice;
    }

    private async Task<AcceleratorChoice> TryKvmAsync(CancellationToken cancellationToken)
    {
        var folder = Path.Combine(new LabPaths(database.Value.DataDirectory).Root, "accelerator-probe");
        Directory.CreateDirectory(folder);
        var console = Path.Combine(folder, "console.log");
        var log = Path.Combine(folder, "qemu.log");
        File.Delete(console);
        File.Delete(log);
        var sercon = Path.Combine(folder, "sercon-port.bin");
        await File.WriteAllBytesAsync(sercon, [0xf8, 0x03], cancellationToken);
        SupervisedProcess guest;
        try
        {
            guest = SupervisedProcess.Start(options.Value.QemuPath, Arguments(console, sercon), log);
        }
        catch (Exception failed) when (failed is System.ComponentModel.Win32Exception or IOException)
        {
            return Emulated($"QEMU could not start a test PC under KVM ({failed.Message})");
        }
        await using (guest)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (DateTime.UtcNow < deadline && !guest.HasExited)
            {
                if (File.Exists(console) && (await ReadSharedAsync(console, cancellationToken)).Contains(ThroughMarker, StringComparison.Ordinal))
                {
                    return new AcceleratorChoice("kvm", "Virtual PCs run with KVM.");
                }
                await Task.Delay(100, cancellationToken);
            }
            if (guest.HasExited)
            {
                var said = File.Exists(log) ? (await ReadSharedAsync(log, cancellationToken)).Trim().Split('\n')[^1] : "";
                return Emulated($"QEMU ended a test PC under KVM at once ({said})");
            }
            await guest.StopAsync(TimeSpan.FromMilliseconds(500));
        }
        return Emulated($"{KvmDevice} is here, but a test PC stopped under KVM inside its firmware within {Patience.TotalSeconds:0} s " +
            "(a KVM that can't run PC firmware)");
    }

    private static AcceleratorChoice Emulated(string why) =>
        new("tcg", $"Virtual PCs run under emulation (TCG), which boots them more slowly: {why}.");

    // No -netdev behind the card: the test PC can't send a single packet anywhere.
    private static string[] Arguments(string console, string sercon) =>
    [
        "-accel", "kvm",
        "-machine", "pc",
        "-m", "32",
        "-nodefaults",
        "-display", "none", "-vga", "none", "-monitor", "none",
        "-serial", "file:" + console,
        "-fw_cfg", $"name=etc/sercon-port,file={sercon}",
        "-boot", "order=n",
        "-device", "virtio-net-pci",
    ];

    private static async Task<string> ReadSharedAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(file, System.Text.Encoding.Latin1);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }
}
