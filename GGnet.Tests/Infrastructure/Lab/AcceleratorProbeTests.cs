using GGnet.Infrastructure.Lab;
using GGnet.Infrastructure.Persistence;
using GGnet.Tests.Support;
using GGnet.Tests.Support.Lab;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GGnet.Tests.Infrastructure.Lab;

/// <summary>
/// The lab's KVM test against the real QEMU, SeaBIOS and iPXE: stand-ins for QEMU (scripts given as Lab:QemuPath)
/// play the KVM this machine's kernel may offer — one whose guests hang, one that fails at once, one that works.
/// </summary>
public sealed class AcceleratorProbeTests : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task Auto_WhenAGuestHangsUnderKvm_ChoosesEmulation_AndSaysWhy()
    {
        var probe = Probe(LabAccelerator.Auto, QemuStandIns.KvmGuestsHang(_data.Path), kvmDevice: ExistingFile());

        var choice = await probe.ChooseAsync();

        Assert.Equal("tcg", choice.Accel);
        Assert.Contains("stopped under KVM inside its firmware", choice.Sentence, StringComparison.Ordinal);
        Assert.Contains("emulation (TCG)", choice.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auto_WhenTheFirmwareGetsThrough_ChoosesKvm()
    {
        // The stand-in runs the real firmware and iPXE, emulated, when asked for KVM: the test guest gets through.
        var probe = Probe(LabAccelerator.Auto, QemuStandIns.KvmRunsAsTcg(_data.Path), kvmDevice: ExistingFile());

        var choice = await probe.ChooseAsync();

        Assert.Equal("kvm", choice.Accel);
        Assert.Equal("Virtual PCs run with KVM.", choice.Sentence);
    }

    [Fact]
    public async Task Auto_WhenQemuRefusesKvm_ChoosesEmulation_WithQemusWords()
    {
        var qemu = QemuStandIns.Write(_data.Path, "refuses-kvm", "echo 'Could not access KVM kernel module: Permission denied' >&2\nexit 1");
        var probe = Probe(LabAccelerator.Auto, qemu, kvmDevice: ExistingFile());

        var choice = await probe.ChooseAsync();

        Assert.Equal("tcg", choice.Accel);
        Assert.Contains("Could not access KVM kernel module: Permission denied", choice.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auto_WithoutAKvmDevice_ChoosesEmulation_WithoutTrying()
    {
        var probe = Probe(LabAccelerator.Auto, "/nonexistent/qemu", kvmDevice: Path.Combine(_data.Path, "no-kvm"));

        var choice = await probe.ChooseAsync();

        Assert.Equal("tcg", choice.Accel);
        Assert.Contains("has no " + Path.Combine(_data.Path, "no-kvm"), choice.Sentence, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LabAccelerator.Kvm, "kvm")]
    [InlineData(LabAccelerator.Tcg, "tcg")]
    public async Task AChosenAccelerator_IsTakenWithoutTrying(LabAccelerator setting, string accel)
    {
        var probe = Probe(setting, "/nonexistent/qemu", kvmDevice: ExistingFile());

        var choice = await probe.ChooseAsync();

        Assert.Equal(accel, choice.Accel);
        Assert.Contains("as Lab:Accelerator says", choice.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheProbe_RunsOnce_AndEveryCallerGetsItsAnswer()
    {
        var probe = Probe(LabAccelerator.Auto, QemuStandIns.KvmGuestsHang(_data.Path), kvmDevice: ExistingFile());

        var first = probe.ChooseAsync();
        var second = probe.ChooseAsync();
        await Task.WhenAll(first, second);

        Assert.Same(first, second);
        Assert.Same(await first, probe.Known);
    }

    private AcceleratorProbe Probe(LabAccelerator accelerator, string qemu, string kvmDevice) =>
        new(Options.Create(new LabOptions { Accelerator = accelerator, QemuPath = qemu }),
            Options.Create(new DatabaseOptions { DataDirectory = _data.Path }),
            NullLogger<AcceleratorProbe>.Instance)
        { KvmDevice = kvmDevice };

    private string ExistingFile()
    {
        var path = Path.Combine(_data.Path, "kvm");
        File.WriteAllText(path, "");
        return path;
    }

    public void Dispose() => _data.Dispose();
}
