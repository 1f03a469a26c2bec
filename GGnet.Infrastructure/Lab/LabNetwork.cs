using System.Globalization;
using System.Net;
using GGnet.Core.Lab;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Dhcp;
using GGnet.Infrastructure.Persistence;
using GGnet.Infrastructure.Processes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Lab;

/// <summary>
/// Lab mode's network: a namespace with a bridge on the lab subnet, GGnet's own tftpd, dhcpd and tgtd inside it,
/// IPv6 router adverts, Wake-on-LAN, and GGnet's HTTP boot endpoint reachable at the lab server address. Created at
/// start (after removing what a crashed run left), removed at shutdown. The host's interfaces are never touched.
/// </summary>
public sealed class LabNetwork(
    IOptions<LabOptions> options,
    IOptions<DatabaseOptions> database,
    IOptions<DhcpOptions> dhcp,
    IOptions<GGnet.Infrastructure.Iscsi.IscsiOptions> iscsi,
    ExternalCommand commands,
    LabHttpForwarder forwarder,
    LabWakeListener wakeListener,
    IDemoImage demoImage,
    AcceleratorProbe accelerator,
    GGnet.Infrastructure.Storage.FuseExports exports,
    ILogger<LabNetwork> logger) : ILab, IHostedService, IAsyncDisposable
{
    public const string Bridge = "br0";

    private readonly LabPaths _paths = new(database.Value.DataDirectory);
    private readonly LabRouterAdverts _adverts = new();
    private SupervisedProcess? _tftpd;

    private LabStatus _status = LabStatus.Production;
    private Shown? _shown;

    /// <summary>
    /// The lab's state; while it runs, the sentence also says how virtual PCs run (KVM or emulation) once that is known.
    /// Read by every boot request in lab mode: built once for each state and choice, not at each read.
    /// </summary>
    public LabStatus Status
    {
        get
        {
            var status = _status;
            if (status is not { Running: true } || accelerator.Known is not { } choice)
            {
                return status;
            }
            var shown = _shown;
            if (shown is null || !ReferenceEquals(shown.Status, status) || !ReferenceEquals(shown.Choice, choice))
            {
                shown = new Shown(status, choice, status with { Sentence = status.Sentence + " " + choice.Sentence, Accelerator = choice.Accel });
                _shown = shown;
            }
            return shown.WithChoice;
        }
        private set => _status = value;
    }

    /// <summary>The lab's namespace while the lab is up.</summary>
    public NetworkNamespace? Namespace { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var lab = options.Value;
        if (!lab.Enabled)
        {
            return;
        }
        Status = NotRunning("Lab mode is starting.");
        if (Problem() is { } problem)
        {
            Status = NotRunning(problem);
            logger.LogWarning("Lab mode can't start: {Problem}", problem);
            return;
        }
        var network = new NetworkNamespace(lab.Namespace, commands);
        try
        {
            if (network.Exists)
            {
                // Only a namespace GGnet made is GGnet's to clear: everything running in it gets stopped.
                if (!File.Exists(_paths.NamespaceMarker) || (await File.ReadAllTextAsync(_paths.NamespaceMarker, cancellationToken)).Trim() != lab.Namespace)
                {
                    Status = NotRunning($"A network namespace named '{lab.Namespace}' exists that GGnet did not create. Remove it (ip netns del {lab.Namespace}) or choose another Lab:Namespace.");
                    logger.LogWarning("Lab mode can't start: {Problem}", Status.Sentence);
                    return;
                }
                logger.LogInformation("Removing the lab network {Namespace} a previous run left behind", lab.Namespace);
                await network.DestroyAsync(cancellationToken);
            }
            await CreateAsync(network, lab, cancellationToken);
            Namespace = network;
            // Finding out whether KVM works takes seconds: it runs beside the start, and the first power-on waits for it.
            _ = accelerator.ChooseAsync();
            Status = new LabStatus(true, true,
                $"Lab mode: PCs boot on GGnet's private network {lab.SubnetPrefix}.0/24, inside this machine (network namespace '{lab.Namespace}'). Your real network is untouched.",
                lab.MaxVirtualPcs);
            logger.LogInformation("Lab network {Namespace} is up: {Subnet}.0/24, server {Server}", lab.Namespace, lab.SubnetPrefix, lab.ServerAddress);
        }
        catch (Exception failed) when (failed is not OperationCanceledException)
        {
            // GGnet keeps running without its lab; the dashboard says why.
            Status = NotRunning($"GGnet could not set up its lab network: {failed.Message}");
            logger.LogError("Lab network failed: {Reason}", failed.Message);
            await TearDownAsync(network);
            return;
        }
        try
        {
            // The demo image is there from the first start, ready to boot.
            await demoImage.EnsureAsync(cancellationToken);
        }
        catch (Exception failed) when (failed is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            logger.LogError("The lab's demo image could not be built: {Reason}", failed.Message);
        }
    }

    private async Task CreateAsync(NetworkNamespace network, LabOptions lab, CancellationToken cancellationToken)
    {
        foreach (var folder in new[] { _paths.Root, _paths.TftpRoot, _paths.Logs })
        {
            Directory.CreateDirectory(folder);
            // tftpd serves as an unprivileged user: the path to its root must be readable.
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        }
        await network.CreateAsync(cancellationToken);
        await File.WriteAllTextAsync(_paths.NamespaceMarker, network.Name + "\n", cancellationToken);
        await network.RunAsync(["ip", "link", "set", "lo", "up"], cancellationToken);
        await network.RunAsync(["sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0"], cancellationToken);
        await network.RunAsync(["ip", "link", "add", Bridge, "type", "bridge"], cancellationToken);
        await network.RunAsync(["ip", "addr", "add", lab.ServerAddress + "/24", "dev", Bridge], cancellationToken);
        await network.RunAsync(["ip", "link", "set", Bridge, "up"], cancellationToken);

        await WriteDhcpdRestartScriptAsync(network, cancellationToken);
        // No config yet means the first boot-plane sync writes one and so starts the lab's dhcpd.
        File.Delete(_paths.DhcpdConfig);
        if (!File.Exists(_paths.DhcpdLeases))
        {
            await File.WriteAllTextAsync(_paths.DhcpdLeases, "", cancellationToken);
        }
        _tftpd = SupervisedProcess.Start("setsid",
            ["ip", "netns", "exec", network.Name, options.Value.TftpdPath, "--foreground", "--listen", "--address", lab.ServerAddress + ":69", "--secure", _paths.TftpRoot],
            Path.Combine(_paths.Logs, "tftpd.log"));

        var address = IPAddress.Parse(lab.ServerAddress);
        forwarder.Start(network, address);
        wakeListener.Start(network);
        _adverts.Start(network, await BridgeIndexAsync(network, cancellationToken));
    }

    // dhcpd daemonizes; GGnet restarts it through this script (inside the namespace) after each validated config change.
    private async Task WriteDhcpdRestartScriptAsync(NetworkNamespace network, CancellationToken cancellationToken)
    {
        var script = $"""
            #!/bin/sh
            # Written by GGnet's lab mode: restarts the lab's dhcpd inside network namespace {network.Name}.
            pidfile='{_paths.DhcpdPidFile}'
            if [ -f "$pidfile" ]; then
              old=$(cat "$pidfile")
              if [ -n "$old" ] && [ "$(cat /proc/$old/comm 2>/dev/null)" = dhcpd ] && [ "$(ip netns identify "$old")" = '{network.Name}' ]; then
                kill "$old"
                while kill -0 "$old" 2>/dev/null; do sleep 0.05; done
              fi
            fi
            touch '{_paths.DhcpdLeases}'
            exec '{dhcp.Value.DhcpdPath}' -4 -q -cf '{_paths.DhcpdConfig}' -lf '{_paths.DhcpdLeases}' -pf "$pidfile" {Bridge}
            """;
        await GGnet.Infrastructure.Files.AtomicFile.WriteAsync(_paths.DhcpdRestartScript,
            System.Text.Encoding.UTF8.GetBytes(script.Replace("\r", "", StringComparison.Ordinal) + "\n"), cancellationToken);
    }

    private async Task<int> BridgeIndexAsync(NetworkNamespace network, CancellationToken cancellationToken)
    {
        var result = await commands.RunAsync("ip", ["netns", "exec", network.Name, "cat", $"/sys/class/net/{Bridge}/ifindex"], cancellationToken);
        return int.TryParse(result.StandardOutput.Trim(), CultureInfo.InvariantCulture, out var index)
            ? index
            : throw new IOException($"the lab bridge's interface index is unreadable: {result.Explanation}");
    }

    /// <summary>Why the lab can't run here, as a sentence; null when it can.</summary>
    private string? Problem()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return "Lab mode needs root to create its private network: run GGnet as root (sudo bash deploy/run.sh), or switch to production mode in Settings.";
        }
        var lab = options.Value;
        if (lab.SubnetPrefix.Split('.').Any(octet => !byte.TryParse(octet, CultureInfo.InvariantCulture, out _)))
        {
            return $"Lab:SubnetPrefix '{lab.SubnetPrefix}' is not three numbers from 0 to 255, like 10.99.0.";
        }
        var missing = new[] { lab.QemuPath, lab.TftpdPath, dhcp.Value.DhcpdPath, iscsi.Value.TgtdPath, "/usr/bin/setsid",
            LabOptions.VirtioRom, lab.UefiCode, lab.UefiVariablesTemplate }.Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            return $"Lab mode needs {string.Join(", ", missing)}: install qemu-system-x86, ipxe-qemu, ovmf, tftpd-hpa, isc-dhcp-server, tgt and util-linux (sudo bash deploy/run.sh does).";
        }
        // The paths go into QEMU's comma-separated options and the dhcpd restart script.
        if (new[] { _paths.Root, dhcp.Value.DhcpdPath, lab.UefiCode }.Any(path => path.Any(c => c is '\'' or ' ' or '"' or '\\' or '$' or '`' or ',' or '\n')))
        {
            return $"The data directory {database.Value.DataDirectory}, Dhcp:DhcpdPath or Lab:UefiCode contains a space, comma or quote; lab mode needs plain paths.";
        }
        return null;
    }

    private LabStatus NotRunning(string sentence) => new(true, false, sentence, options.Value.MaxVirtualPcs);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Namespace is { } network)
        {
            Status = NotRunning("Lab mode has stopped.");
            await TearDownAsync(network);
        }
    }

    private async Task TearDownAsync(NetworkNamespace network)
    {
        Namespace = null;
        forwarder.Stop();
        wakeListener.Dispose();
        _adverts.Dispose();
        if (_tftpd is not null)
        {
            await _tftpd.DisposeAsync();
            _tftpd = null;
        }
        try
        {
            await network.DestroyAsync(CancellationToken.None);
        }
        catch (IOException failed)
        {
            logger.LogError("Could not remove the lab network {Namespace}: {Reason}", network.Name, failed.Message);
        }
        // With the lab's tgtd gone its overlay disks serve nobody; the next start serves the sessions still active again.
        await exports.StopAllAsync();
        logger.LogInformation("Lab network {Namespace} removed (virtual PCs, tftpd, dhcpd, tgtd and disk exports stopped)", network.Name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_tftpd is not null)
        {
            await _tftpd.DisposeAsync();
        }
        _adverts.Dispose();
    }

    // The status as shown, with the state and the choice it was built from.
    private sealed record Shown(LabStatus Status, AcceleratorChoice Choice, LabStatus WithChoice);
}
