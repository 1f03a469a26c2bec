using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Boot;
using GGnet.Core.Common;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Webhooks;
using GGnet.Core.Errors;
using GGnet.Core.Iscsi;
using GGnet.Core.Nodes;
using GGnet.Core.Ports;
using GGnet.Core.Sessions;
using GGnet.Core.Webhooks;

namespace GGnet.Core.Images;

/// <summary>
/// Test boots. On (the default), a commit of a system image's disk makes a candidate, which is test-booted before any PC gets
/// it; off, a commit is made current at once. <paramref name="BootLimit"/>: how long its OS may take to take over its disk.
/// </summary>
public sealed record TrialSettings(bool Enabled, TimeSpan BootLimit);

/// <summary>
/// A version's test boot: a throw-away copy of its disk behind a target of its own, booted headless by a bench PC with each
/// firmware the image's PCs have. It passes when the OS takes the disk over (it logs in to its target itself, as on a real PC),
/// and records how long that took against the current version's, with the console's end. Re-entrant: a version whose test
/// ended is left alone; one whose test was cut short (GGnet stopped) is tested again from the start.
/// </summary>
public sealed class TestCandidate(
    IImageRepository images,
    ISessionRepository sessions,
    IMachineRepository machines,
    IDiskCloner disks,
    IIscsiBackend iscsi,
    IBootNetwork network,
    LocalNode node,
    ITrialBench bench,
    TrialSettings settings,
    PublishWebhookEvents webhooks,
    IStatusNotifier notifier,
    TimeProvider clock)
{
    /// <summary>How much of the console's end a version keeps.</summary>
    public const int ConsoleKept = 16_000;

    private static readonly TimeSpan LookEvery = TimeSpan.FromSeconds(1);

    /// <summary>The bench's name for a version's test boot (its files, its screen).</summary>
    public static string RunName(int versionId) => $"version-{versionId.ToString(CultureInfo.InvariantCulture)}";

    public async Task ExecuteAsync(int versionId, CancellationToken cancellationToken)
    {
        if (await images.FindVersionAsync(versionId, cancellationToken) is not { TrialRunning: true } version
            || await images.FindAsync(version.ImageId, cancellationToken) is not { } image)
        {
            return;
        }
        version.StartTrial(Now);
        await images.SaveVersionAsync(version, null, cancellationToken);
        notifier.ImageChanged(image.Id);

        var firmwares = await FirmwaresAsync(image, cancellationToken);
        TrialOutcome outcome;
        try
        {
            outcome = await BootEachAsync(image, version, firmwares, cancellationToken);
        }
        catch (Exception broke) when (broke is not OperationCanceledException)
        {
            // Not left "booting" for ever: the admin sees why and can test again.
            version.FailTrial($"The test boot broke off: {broke.Message}", "", Now);
            await images.SaveVersionAsync(version, null, CancellationToken.None);
            notifier.ImageChanged(image.Id);
            throw;
        }
        double? currentSeconds = null;
        if (outcome.Passed && image.Versions.FirstOrDefault(v => v.Id == image.CurrentVersionId) is { } current && current.Id != version.Id)
        {
            currentSeconds = current.TrialBootSeconds ?? await MeasureAsync(image, current, firmwares, version, cancellationToken);
        }
        var sentence = outcome.Passed ? PassedSentence(outcome, firmwares, image, currentSeconds) : outcome.Sentence;
        var label = ImageVersion.Label(image.Name, version.Number);
        if (outcome.Passed)
        {
            version.PassTrial(outcome.Seconds, sentence, outcome.Console, Now);
        }
        else
        {
            version.FailTrial(sentence, outcome.Console, Now);
        }
        await images.SaveVersionAsync(version, new AuditEvent(Now, "system", outcome.Passed ? AuditActions.CandidatePassed : AuditActions.CandidateFailed, "image",
            image.Id.ToString(CultureInfo.InvariantCulture), null, $"{label}: {sentence}"), cancellationToken);
        notifier.ImageChanged(image.Id);
        await webhooks.PublishAsync(WebhookEventTypes.CandidateTested, Now, () => Task.FromResult<object>(
            new CandidateEventData(image.Id, version.Id, label, outcome.Passed, sentence, version.TrialBootSeconds, currentSeconds)), cancellationToken);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    // The current version was never test-booted: it is, now, so the two times compare on the same bench. Only a pass is kept.
    private async Task<double?> MeasureAsync(Image image, ImageVersion current, IReadOnlyList<Firmware> firmwares, ImageVersion candidate, CancellationToken cancellationToken)
    {
        var outcome = await BootEachAsync(image, current, firmwares, cancellationToken);
        if (!outcome.Passed)
        {
            return null;
        }
        current.PassTrial(outcome.Seconds, $"Measured as the current version when v{candidate.Number} was tested: its OS took over its disk {Seconds(outcome.Seconds)} after power-on.",
            outcome.Console, Now);
        await images.SaveVersionAsync(current, null, cancellationToken);
        return outcome.Seconds;
    }

    private static string PassedSentence(TrialOutcome outcome, IReadOnlyList<Firmware> firmwares, Image image, double? currentSeconds)
    {
        var current = image.Versions.FirstOrDefault(v => v.Id == image.CurrentVersionId);
        var against = currentSeconds is { } seconds ? $"; the current v{current!.Number}: {Seconds(seconds)}" : "";
        return $"Its OS took over its disk {Seconds(outcome.Seconds)} after power-on ({string.Join(" and ", firmwares.Select(Describe))}{against}).";
    }

    private static string Seconds(double seconds) => string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0} s");

    private static string Describe(Firmware firmware) => firmware == Firmware.Uefi ? "UEFI" : "BIOS";

    // The firmwares of the PCs that ran this image lately; BIOS when none did.
    private async Task<IReadOnlyList<Firmware>> FirmwaresAsync(Image image, CancellationToken cancellationToken)
    {
        var recent = await sessions.ListAsync(new SessionQuery(new PageRequest(1, 100), ImageId: image.Id), cancellationToken);
        var found = new SortedSet<Firmware>();
        foreach (var machineId in recent.Items.Select(s => s.MachineId).Distinct())
        {
            if (await machines.FindAsync(machineId, cancellationToken) is { } machine)
            {
                found.Add(machine.Firmware);
            }
        }
        return found.Count == 0 ? [Firmware.Bios] : [.. found];
    }

    // One boot for each firmware, the slowest counting; the first that fails ends the test.
    private async Task<TrialOutcome> BootEachAsync(Image image, ImageVersion version, IReadOnlyList<Firmware> firmwares, CancellationToken cancellationToken)
    {
        TrialOutcome? last = null;
        foreach (var firmware in firmwares)
        {
            var outcome = await BootAsync(image, version, firmware, cancellationToken);
            if (!outcome.Passed)
            {
                return firmwares.Count > 1 ? outcome with { Sentence = $"{Describe(firmware)}: {outcome.Sentence}" } : outcome;
            }
            last = last is null || outcome.Seconds > last.Seconds ? outcome : last;
        }
        return last!;
    }

    private async Task<TrialOutcome> BootAsync(Image image, ImageVersion version, Firmware firmware, CancellationToken cancellationToken)
    {
        if ((node.PortalAddress ?? network.Settings?.ServerAddress) is not { } portal)
        {
            return TrialOutcome.Failed("GGnet has no boot network yet (Settings › Network): a test boot needs its iSCSI portal.", "");
        }
        var target = network.Naming.TargetForTrial(version.Id);
        var disk = disks.TrialPathFor(version.Id);
        await CleanUpAsync(target, disk);
        try
        {
            await disks.CloneAsync(new Storage.DiskFile(version.Path, version.Format), disk, cancellationToken);
            await disks.ServeAsync(disk, cancellationToken);
            var initiator = network.Naming.InitiatorForTrial(version.Id);
            var chap = new ChapCredentials($"trial-{version.Id.ToString(CultureInfo.InvariantCulture)}", MachineChap.NewSecret());
            await iscsi.CreateTargetAsync(new IscsiTargetSpec(target, disk, initiator, chap, portal), cancellationToken);
            var script = IpxeScripts.ForTrial(new BootTarget(0, ImageVersion.Label(image.Name, version.Number), bench.PortalSeenByPc, target, iscsi.DiskLun, initiator, chap));
            await using var run = await bench.PowerOnAsync(new BenchBoot(RunName(version.Id), firmware, script, portal), cancellationToken);
            var outcome = await WatchAsync(run, target, cancellationToken);
            await run.SaveScreenAsync(cancellationToken);
            return outcome;
        }
        catch (Exception failed) when (failed is ConflictException or IscsiBackendException or IOException)
        {
            return TrialOutcome.Failed($"The test boot could not run: {failed.Message}", "");
        }
        finally
        {
            await CleanUpAsync(target, disk);
        }
    }

    // Until the OS logs in to its target (after the firmware's login), the firmware says it can't boot, the PC stops, or time is up.
    private async Task<TrialOutcome> WatchAsync(IBenchRun run, Domain.Iqn target, CancellationToken cancellationToken)
    {
        var started = Now;
        var firmwareLogins = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var seconds = (Now - started).TotalSeconds;
            var listed = (await iscsi.ListTargetsAsync(cancellationToken)).FirstOrDefault(t => t.Target == target);
            var tookOver = listed is not null && OsLogin.Find(firmwareLogins, listed.Connections, firmwareHooks: 1) is not null;
            var console = await run.ReadConsoleAsync(cancellationToken);
            if (tookOver)
            {
                return new TrialOutcome(true, "", seconds, Kept(console));
            }
            if (console.Contains(IpxeScripts.TrialNotBooted, StringComparison.Ordinal))
            {
                return TrialOutcome.Failed($"The firmware could not boot its disk (\"{LastLine(console, IpxeScripts.TrialNotBooted)}\"): is its boot loader intact?", Kept(console));
            }
            if (run.Ended)
            {
                return TrialOutcome.Failed($"The virtual PC stopped {Seconds(seconds)} after power-on, before its OS took over its disk.", Kept(console));
            }
            if (seconds > settings.BootLimit.TotalSeconds)
            {
                return TrialOutcome.Failed($"Its OS did not take over its disk within {Seconds(settings.BootLimit.TotalSeconds)} (TestBoot:LimitSeconds); " +
                    "the console's end and the screen show where it stopped.", Kept(console));
            }
            await Task.Delay(LookEvery, clock, cancellationToken);
        }
    }

    private async Task CleanUpAsync(Domain.Iqn target, string disk)
    {
        await iscsi.DeleteTargetAsync(target, CancellationToken.None);
        await disks.DeleteAsync(disk, CancellationToken.None);
    }

    private static string Kept(string console) => console.Length <= ConsoleKept ? console : console[^ConsoleKept..];

    // What the firmware said before giving up (iPXE: "Boot from SAN device 0x80 failed: …"), as the admin reads it.
    private static string LastLine(string console, string marker)
    {
        var lines = console.Split('\n').Select(l => l.Trim()).ToList();
        var at = lines.FindLastIndex(l => l.Contains(marker, StringComparison.Ordinal));
        var said = lines.Take(at).LastOrDefault(l => l.Contains("failed", StringComparison.OrdinalIgnoreCase)) ?? lines[at].Replace(marker, "iPXE", StringComparison.Ordinal);
        return Domain.Printable.Of(said, 200);
    }

    private sealed record TrialOutcome(bool Passed, string Sentence, double Seconds, string Console)
    {
        public static TrialOutcome Failed(string sentence, string console) => new(false, sentence, 0, console);
    }
}
