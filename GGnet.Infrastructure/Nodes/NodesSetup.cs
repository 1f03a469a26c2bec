using GGnet.Core.Ports;
using GGnet.Infrastructure.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Nodes;

public static class NodesSetup
{
    /// <summary>
    /// This process as a node of the cluster, the locks the nodes share (PostgreSQL's advisory locks; in-process ones for
    /// a single node on SQLite), and Redis to tell the other nodes what changed.
    /// </summary>
    public static IServiceCollection AddGGnetNodes(this IServiceCollection services, IConfiguration configuration)
    {
        var database = DatabaseOptions.From(configuration);
        services.AddSingleton<IClusterLocks>(database.Provider == DatabaseProvider.Postgres
            ? new PostgresClusterLocks(database.ConnectionString!)
            : new LocalClusterLocks());
        services.AddOptions<NodeOptions>().Bind(configuration.GetSection(NodeOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<NodeOptions>, NodeOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<NodeOptions>>().Value.ToLocalNode());
        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.Section));
        services.AddSingleton<RedisClusterRelay>();
        services.AddSingleton<IBootSyncTrigger, ClusterBootSyncTrigger>();
        return services;
    }
}
