using GGnet.Core.Boot;
using GGnet.Core.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Boot;

/// <summary>
/// Runs <see cref="SyncBootFiles"/> once at start-up and then after changes, coalesced: requests that
/// arrive while a sync is pending join it, so 100 machine edits in a second give one DHCP restart. A node without the
/// boot services (<c>Node:BootServices</c> off) leaves the TFTP files and DHCP to the node that has them.
/// </summary>
public sealed class BootSyncService(IServiceScopeFactory scopes, IOptions<BootOptions> options, IOptions<Nodes.NodeOptions> node, BootPlaneStatus status, TimeProvider clock,
    ILogger<BootSyncService> logger)
    : BackgroundService
{
    private readonly SemaphoreSlim _signal = new(0);
    private long _requests;

    /// <summary>Asks for a sync on this node; the rest of GGnet asks through <see cref="IBootSyncTrigger"/>, which reaches every node.</summary>
    public void Request()
    {
        if (Interlocked.Increment(ref _requests) == 1)
        {
            _signal.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!node.Value.BootServices)
        {
            // Another node of the cluster writes the TFTP files and runs DHCP (Node:BootServices).
            return;
        }
        Request();
        while (!stoppingToken.IsCancellationRequested)
        {
            await _signal.WaitAsync(stoppingToken);
            await WaitForQuietAsync(stoppingToken);
            Interlocked.Exchange(ref _requests, 0);
            await SyncAsync(stoppingToken);
        }
    }

    private async Task WaitForQuietAsync(CancellationToken stoppingToken)
    {
        var quiet = TimeSpan.FromMilliseconds(options.Value.SyncDelayMilliseconds);
        var deadline = clock.GetUtcNow() + TimeSpan.FromMilliseconds(options.Value.SyncMaxDelayMilliseconds);
        var seen = Interlocked.Read(ref _requests);
        while (true)
        {
            await Task.Delay(quiet, clock, stoppingToken);
            var now = Interlocked.Read(ref _requests);
            if (now == seen || clock.GetUtcNow() >= deadline)
            {
                return;
            }
            seen = now;
        }
    }

    private async Task SyncAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<SyncBootFiles>().ExecuteAsync(stoppingToken);
        }
        catch (Exception problem) when (problem is not OperationCanceledException)
        {
            logger.LogError(problem, "Syncing DHCP and TFTP failed");
            status.RecordError($"Updating DHCP and the TFTP scripts failed: {problem.Message}", clock.GetUtcNow().UtcDateTime);
        }
    }

    public override void Dispose()
    {
        _signal.Dispose();
        base.Dispose();
    }
}
