using System.Reflection;
using GGnet.Core.Domain.Nodes;
using GGnet.Core.Nodes;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Images;
using GGnet.Infrastructure.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GGnet.Infrastructure.Nodes;

/// <summary>
/// Registers this node before any job runs (and gives it what predates nodes), then says every few seconds that it is
/// alive and looks for nodes that stopped saying so: their sessions are ended with a reason.
/// </summary>
public sealed class NodeHeartbeat(INodeRepository nodes, IStoragePool storage, SessionDiskFolder disks, ImageFolder images, IServiceScopeFactory scopes,
    LocalNode local, TimeProvider clock, ILogger<NodeHeartbeat> logger) : BackgroundService
{
    // Registration finishes before the next hosted service (the job servers) starts.
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var version = typeof(NodeHeartbeat).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        var pools = string.Join('\n', new[] { images.Path, disks.Directory }.Distinct(StringComparer.Ordinal));
        await nodes.RegisterAsync(new Node(local.Key, local.PortalAddress?.ToString(), pools, version.Split('+')[0], clock.GetUtcNow().UtcDateTime), cancellationToken);
        await nodes.AdoptUnownedAsync(local.Key, cancellationToken);
        await BeatAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(local.HeartbeatEvery, clock);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await timer.WaitForNextTickAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                await BeatAsync(stoppingToken);
                await using var scope = scopes.CreateAsyncScope();
                if (await scope.ServiceProvider.GetRequiredService<FailLostNodeSessions>().ExecuteAsync(stoppingToken) is > 0 and var ended)
                {
                    logger.LogWarning("Ended {Sessions} sessions of nodes that stopped answering", ended);
                }
            }
            catch (Exception problem) when (problem is not OperationCanceledException)
            {
                // The database may be down for a moment: the next beat tries again; the node must not stop.
                logger.LogError("Node heartbeat failed: {Reason}", problem.Message);
            }
        }
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        var usage = await storage.UsageAsync(cancellationToken);
        await nodes.HeartbeatAsync(local.Key, clock.GetUtcNow().UtcDateTime, usage.FreeBytes, usage.TotalBytes, cancellationToken);
    }
}
