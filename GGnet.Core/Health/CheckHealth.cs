using System.Globalization;
using GGnet.Core.Boot;
using GGnet.Core.Ports;

namespace GGnet.Core.Health;

/// <summary>How a part of GGnet is doing, for the admin at a glance.</summary>
public enum HealthLevel
{
    Green,
    Amber,
    Red,
}

/// <summary>One part's health, with a sentence that says what is wrong and what to do.</summary>
public sealed record ComponentHealth(string Component, HealthLevel Level, string Sentence);

/// <summary>
/// The health of each part a boot needs: the boot network and DHCP, the TFTP scripts, the iSCSI backend, the disk
/// storage, the background jobs and (in lab mode) the lab. Red: PCs can't boot; amber: they can, but something needs attention.
/// </summary>
public sealed class CheckHealth(IBootNetwork network, BootPlaneStatus bootPlane, IIscsiBackend iscsi, IStoragePool storage, IJobHealth jobs, ILab lab, IBootDaemons daemons,
    Nodes.ListNodes nodes, Nodes.LocalNode local)
{
    private const string ElsewhereSentence = "Another node of the cluster runs it: this node has Node:BootServices off.";

    public async Task<IReadOnlyList<ComponentHealth>> ExecuteAsync(CancellationToken cancellationToken)
    {
        var parts = local.BootServices
            ? new List<ComponentHealth>
            {
                WithDaemon(Dhcp(), await daemons.CheckDhcpAsync(cancellationToken)),
                WithDaemon(Tftp(), await daemons.CheckTftpAsync(cancellationToken)),
            }
            : [new ComponentHealth("DHCP", HealthLevel.Green, ElsewhereSentence), new ComponentHealth("TFTP", HealthLevel.Green, ElsewhereSentence)];
        var backend = await iscsi.CheckAsync(cancellationToken);
        parts.Add(new ComponentHealth("iSCSI", backend.Available ? HealthLevel.Green : HealthLevel.Red, backend.Explanation));
        var usage = await storage.UsageAsync(cancellationToken);
        var strategy = await storage.StrategyAsync(cancellationToken);
        parts.Add(new ComponentHealth("Storage", usage.RefusesNewSessions ? HealthLevel.Red : usage.IsWarning ? HealthLevel.Amber : HealthLevel.Green,
            $"{usage.Sentence} Session disks: {strategy.Label}."));
        parts.Add(Jobs(await jobs.CheckAsync(cancellationToken)));
        if (await nodes.ExecuteAsync(cancellationToken) is { Count: > 1 } cluster)
        {
            parts.Add(Nodes(cluster));
        }
        if (lab.Status.Enabled)
        {
            parts.Add(new ComponentHealth("Lab", lab.Status.Running ? HealthLevel.Green : HealthLevel.Red, lab.Status.Sentence));
        }
        return parts;
    }

    // What GGnet last wrote can be fine while the daemon behind it is down: then the daemon decides.
    private static ComponentHealth WithDaemon(ComponentHealth written, DaemonCheck? daemon) => daemon switch
    {
        null => written,
        { Works: false } => written with { Level = HealthLevel.Red, Sentence = daemon.Sentence },
        _ when written.Level == HealthLevel.Green => written with { Sentence = $"{written.Sentence} {daemon.Sentence}" },
        _ => written,
    };

    private ComponentHealth Dhcp()
    {
        if (network.Settings is null)
        {
            return new ComponentHealth("DHCP", HealthLevel.Red, "The boot network is not set up: " + string.Join(" ", network.Problems));
        }
        if (bootPlane.LastDhcpRejection is { } rejected)
        {
            return new ComponentHealth("DHCP", HealthLevel.Red, rejected.Message);
        }
        return bootPlane.LastDhcp is { } last
            ? new ComponentHealth("DHCP", last.Outcome == DhcpApplyOutcome.RestartFailed ? HealthLevel.Red : HealthLevel.Green, last.Message)
            : new ComponentHealth("DHCP", HealthLevel.Amber, "DHCP has not been written yet since GGnet started; it is within seconds.");
    }

    private static ComponentHealth Jobs(JobsStatus status) => status switch
    {
        { LiveServers: 0 } => new ComponentHealth("Jobs", HealthLevel.Red,
            "No job server has answered in the last minute: sessions don't start or stop and images don't convert. Restart GGnet; if it stays red, its log says why."),
        { Failed: > 0 } => new ComponentHealth("Jobs", HealthLevel.Amber, string.Create(CultureInfo.InvariantCulture,
            $"{status.Failed} background job(s) failed for good (the sessions and images they were for show why); /hangfire lists them. {status.Waiting} waiting.")),
        _ => new ComponentHealth("Jobs", HealthLevel.Green, string.Create(CultureInfo.InvariantCulture,
            $"{status.LiveServers} job server(s) running; {status.Waiting} job(s) waiting, none failed.")),
    };

    private static ComponentHealth Nodes(IReadOnlyList<Nodes.NodeStatus> cluster) => cluster.Where(n => !n.Up).Select(n => n.Node.Name).ToList() switch
    {
        { Count: 0 } => new ComponentHealth("Nodes", HealthLevel.Green, $"All {cluster.Count} nodes answer."),
        var down => new ComponentHealth("Nodes", HealthLevel.Red,
            $"Node(s) {string.Join(", ", down)} stopped answering: PCs whose images they store can't start sessions, and their running sessions were failed. " +
            "Start GGnet there again (systemctl start ggnet)."),
    };

    private ComponentHealth Tftp() => bootPlane.LastError is { } error
        ? new ComponentHealth("TFTP", HealthLevel.Red, error)
        : bootPlane.LastSyncAt is { } at
            ? new ComponentHealth("TFTP", HealthLevel.Green, string.Create(CultureInfo.InvariantCulture, $"{bootPlane.TftpScripts} PC scripts written, last at {at:HH:mm:ss} UTC."))
            : new ComponentHealth("TFTP", HealthLevel.Amber, "The PCs' scripts have not been written yet since GGnet started; it is within seconds.");
}
