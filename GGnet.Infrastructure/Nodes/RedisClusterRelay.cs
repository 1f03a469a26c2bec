using GGnet.Core.Nodes;
using GGnet.Infrastructure.Boot;
using GGnet.Infrastructure.Notifications;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GGnet.Infrastructure.Nodes;

/// <summary>
/// Carries changes between nodes over Redis pub/sub: what this node changed is published, and what another node
/// changed refreshes this node's open screens and, on the boot node, the TFTP files and DHCP configuration. Without
/// <c>Redis:Configuration</c> it does nothing (a single node has nobody to tell).
/// </summary>
public sealed class RedisClusterRelay(IOptions<RedisOptions> options, InProcessStatusNotifier notifier, BootSyncService bootSync, LocalNode local,
    ILogger<RedisClusterRelay> logger) : IHostedService, IAsyncDisposable
{
    private ConnectionMultiplexer? _redis;
    private RedisChannel _channel;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        var configuration = ConfigurationOptions.Parse(options.Value.Configuration!);
        configuration.AbortOnConnectFail = false;
        configuration.ClientName = "ggnet-" + local.Key;
        _redis = await ConnectionMultiplexer.ConnectAsync(configuration);
        _channel = RedisChannel.Literal(options.Value.ChannelPrefix + ":changes");
        await _redis.GetSubscriber().SubscribeAsync(_channel, (_, message) => Receive(message));
        notifier.ChangedHere += Publish;
        logger.LogInformation("Sharing live changes with the other nodes through Redis ({Endpoints})", string.Join(", ", configuration.EndPoints));
    }

    /// <summary>Tells the other nodes about a change made here (fire and forget: a lost message only delays a refresh).</summary>
    public void Publish(StatusChange change)
    {
        if (_redis is null)
        {
            return;
        }
        _redis.GetSubscriber().Publish(_channel, local.Key + " " + change.Text, CommandFlags.FireAndForget);
    }

    private void Receive(RedisValue message)
    {
        var text = message.ToString();
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || local.Owns(text[..space]) || StatusChange.Parse(text[(space + 1)..]) is not { } change)
        {
            return;
        }
        if (change.Kind == StatusChangeKind.BootSync)
        {
            bootSync.Request();
        }
        else
        {
            notifier.Raise(change);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        notifier.ChangedHere -= Publish;
        if (_redis is not null)
        {
            await _redis.GetSubscriber().UnsubscribeAllAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
            _redis = null;
        }
    }
}
