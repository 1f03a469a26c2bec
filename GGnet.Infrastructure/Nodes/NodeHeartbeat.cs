using System.Reflection;
using GGnet.Core.Domain.Nodes;
using GGnet.Core.Nodes;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Images;
using GGnet.Infrastructure.Processes;
using GGnet.Infrastructure.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GGnet.Infrastructure.Nodes;

/// <summary>
/// Registers this node before any job runs (and gives it what predates nodes), then says every few seconds that it is
/// alive and looks for nodes that stopped saying so: their sessions are ended with a reason.
/// </summary>
public sealed class NodeHeartbeat(INodeRepository nodes, IStoragePool storage, SessionDiskFolder disks, ImageFolder images, IServiceScopeFactory scopes,
    LocalNode local, TimeProvider clock, ILogger<NodeHeartbeat> logger) : PeriodicCheck(clock, logger)
{
    protected override TimeSpan Interval => local.HeartbeatEvery;

    // The beat at start is part of the registration.
    protected override bool FirstPassAtStart => false;

    protected override string Work => "Node heartbeat";

    // Until it beats again, the other nodes count this one as going away: they end its sessions once it is DownAfter late.
    protected override LogLevel FailureLevel => LogLevel.Error;

    // Registration finishes before the next hosted service (the job servers) starts.
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var version = typeof(NodeHeartbeat).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        var pools = string.Join('\n', new[] { images.Path, disks.Directory }.Distinct(StringComparer.Ordinal));
        await nodes.RegisterAsync(new Node(local.Key, local.PortalAddress?.ToString(), pools, version.Split('+')[0], Clock.GetUtcNow().UtcDateTime), cancellationToken);
        await nodes.AdoptUnownedAsync(local.Key, cancellationToken);
        await BeatAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task PassAsync(CancellationToken cancellationToken)
    {
        await BeatAsync(cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        if (await scope.ServiceProvider.GetRequiredService<FailLostNodeSessions>().ExecuteAsync(cancellationToken) is > 0 and var ended)
        {
            logger.LogWarning("Ended {Sessions} sessions of nodes that stopped answering", ended);
        }
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        var usage = await storage.UsageAsync(cancellationToken);
        await nodes.HeartbeatAsync(local.Key, Clock.GetUtcNow().UtcDateTime, usage.FreeBytes, usage.TotalBytes, cancellationToken);
    }
}
