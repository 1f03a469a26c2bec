using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Ports;

namespace GGnet.Core.Boot;

/// <summary>
/// Answers a PC's request for its boot script: records what was observed (known machine → boot stage
/// "script fetched", saved a moment later with the other fetches; unknown MAC → the Discovered list; a failed attach
/// reported from the PC's own address → its boot stage) and returns the script for that PC only. A PC without a session
/// gets the same waiting script each time it asks (a hall waiting for opening time asks every few seconds): it is
/// rendered once for what it is made of, and again after any change to it.
/// </summary>
public sealed class ServePcBootScript(BootScriptComposer composer, BootInputs inputs, IScriptFetchLog fetches, IBootRepository boot, IStatusNotifier notifier,
    Telemetry.GGnetMetrics metrics, BootRetention retention, TimeProvider clock)
{
    /// <summary>A PC's failed attach reported again within this time, with the same code, is already in its timeline: it adds no event.</summary>
    public static readonly TimeSpan AttachFailureRepeat = TimeSpan.FromMinutes(1);

    // By the inputs BootInputs keeps until a change: a change reads new inputs, so an old entry is never used again.
    private readonly ConditionalWeakTable<PcBootInputs, WaitingScript> _waiting = new();

    // Each registered PC's last recorded attach failure (one entry a PC at most).
    private readonly ConcurrentDictionary<int, (AttachFailure Failure, DateTime At)> _attachFailures = new();

    public async Task<string> ExecuteAsync(MacAddress macAddress, Ipv4Address? clientAddress, Firmware? reportedFirmware, CancellationToken cancellationToken,
        AttachFailure? attachFailure = null)
    {
        // Throws when the boot network is not configured, before anything is recorded.
        var settings = composer.Settings;
        var now = clock.GetUtcNow().UtcDateTime;
        var pc = await inputs.FindAsync(macAddress, cancellationToken);
        metrics.ScriptRequested("http", pc is not null);
        if (pc is null)
        {
            await boot.RecordDiscoveredAsync(macAddress, now, clientAddress, reportedFirmware, retention.MaxDiscoveredPcs, cancellationToken);
            notifier.DiscoveredChanged();
            return composer.ForUnknown(macAddress);
        }

        var machine = pc.Machine;
        // Only the PC itself can say its attach failed: from anywhere else the report would put another customer's tile in red.
        if (attachFailure is not null && clientAddress is { } from && await composer.IsThePcAsync(machine, from, cancellationToken))
        {
            // The PC asks again after its sanboot failed, and says why: that is what the admin needs to see, once. A PC
            // that keeps failing (or a customer who keeps saying so from his own seat) adds no row for each request, but
            // its tile goes back to the failure each time: its next attach moved it on, and a canary's watch looks there.
            var news = IsNews(machine.Id, attachFailure, now);
            await boot.RecordObservationAsync(machine.Id, BootStage.AttachFailed,
                news ? new BootEvent(machine.Id, macAddress, BootEventKind.AttachFailed, clientAddress, now, attachFailure.Sentence) : null, now, cancellationToken);
            notifier.MachineObserved(machine.Id);
        }
        else
        {
            fetches.Add(new BootEvent(machine.Id, macAddress, BootEventKind.ScriptFetchedHttp, clientAddress, now));
        }
        if (pc.Target is null && _waiting.TryGetValue(pc, out var kept) && ReferenceEquals(kept.Settings, settings))
        {
            return kept.Script;
        }
        var script = await composer.ForPcRequestAsync(machine, pc.Target, clientAddress, cancellationToken);
        if (pc.Target is null)
        {
            _waiting.AddOrUpdate(pc, new WaitingScript(settings, script));
        }
        return script;
    }

    private bool IsNews(int machineId, AttachFailure failure, DateTime now)
    {
        if (_attachFailures.TryGetValue(machineId, out var last) && last.Failure == failure && now - last.At < AttachFailureRepeat)
        {
            return false;
        }
        _attachFailures[machineId] = (failure, now);
        return true;
    }

    private sealed record WaitingScript(NetworkSettings Settings, string Script);
}
