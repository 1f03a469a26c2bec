using GGnet.Core;
using GGnet.Infrastructure.Boot;
using GGnet.Infrastructure.Identity;
using GGnet.Infrastructure.Iscsi;
using GGnet.Infrastructure.Iscsi.Tgt;
using GGnet.Infrastructure.Jobs;
using GGnet.Infrastructure.Lab;
using GGnet.Infrastructure.Nodes;
using GGnet.Infrastructure.Notifications;
using GGnet.Infrastructure.Persistence;
using GGnet.Infrastructure.Processes;
using GGnet.Infrastructure.Storage;
using GGnet.Infrastructure.TestBoots;
using GGnet.Infrastructure.Webhooks;
using GGnet.Core.Ports;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Infrastructure;

/// <summary>
/// Everything behind Core's ports, one adapter's registrations per file (<c>*Setup.cs</c> in its folder), and Core's use
/// cases. The hosted services are registered here alone, in the order they start (they stop in the reverse one).
/// </summary>
public static class DependencyInjection
{
    public static IServiceCollection AddGGnetInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new GGnet.Core.Sessions.ServerStart(TimeProvider.System.GetUtcNow().UtcDateTime));
        services.AddSingleton<ExternalCommand>();
        services.AddMetrics();
        services.AddSingleton<GGnet.Core.Telemetry.GGnetMetrics>();
        services.AddOptions<Telemetry.MetricsOptions>().Bind(configuration.GetSection(Telemetry.MetricsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<InProcessStatusNotifier>();
        services.AddSingleton<IStatusNotifier>(sp => sp.GetRequiredService<InProcessStatusNotifier>());
        services.AddSingleton<IStatusEvents>(sp => sp.GetRequiredService<InProcessStatusNotifier>());

        services.AddGGnetPersistence(configuration);
        services.AddGGnetIdentity(configuration);
        services.AddGGnetStorage(configuration);
        services.AddGGnetIscsi(configuration);
        services.AddGGnetBootPlane(configuration);
        services.AddGGnetLab(configuration);
        services.AddGGnetTestBoots(configuration);
        services.AddGGnetNodes(configuration);
        services.AddGGnetJobs(configuration);
        services.AddGGnetWebhooks(configuration);
        foreach (var singleton in UseCases.AfterCommit.Concat(UseCases.BootPath))
        {
            services.AddSingleton(singleton);
        }
        foreach (var useCase in UseCases.All)
        {
            services.AddScoped(useCase);
        }
        AddHostedServicesInOrder(services, configuration);
        return services;
    }

    /// <summary>ASP.NET Core Identity on GGnet's database, with lockout after repeated failures.</summary>
    public static IdentityBuilder AddGGnetIdentityStores(this IdentityBuilder identity) =>
        identity.AddRoles<IdentityRole>().AddEntityFrameworkStores<GGnetDbContext>();

    // Started in this order, stopped in the reverse one.
    private static void AddHostedServicesInOrder(IServiceCollection services, IConfiguration configuration)
    {
        services.AddHostedService<Processes.SpareMemoryRelease>();
        services.AddHostedService<Telemetry.MetricsSampler>();
        services.AddHostedService<StorageSampler>();
        services.AddHostedService<FuseExportWatch>();
        // The lab network comes up before tgtd, dhcpd and tftpd are used, and goes after them.
        services.AddHostedService(sp => sp.GetRequiredService<LabNetwork>());
        services.AddHostedService(sp => sp.GetRequiredService<OwnTgtdService>());
        // This node's row exists (and owns what predates nodes) before any job runs.
        services.AddHostedService<NodeHeartbeat>();
        services.AddGGnetJobServers(configuration);
        services.AddHostedService<BootObserverService>();
        // Judges canaries by what the boot observer saw: after it, and after this node took over its images (NodeHeartbeat).
        services.AddHostedService<TestBoots.CanaryWatch>();
        services.AddHostedService<SessionSpaceSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<ScriptFetchLog>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisClusterRelay>());
        services.AddHostedService(sp => sp.GetRequiredService<BootSyncService>());
        // Last, so it stops first: virtual PCs are powered off while tgtd still answers.
        services.AddHostedService(sp => sp.GetRequiredService<QemuVirtualPcs>());
    }
}
