using GGnet.Core;
using GGnet.Core.Boot;
using GGnet.Infrastructure.Boot;
using GGnet.Infrastructure.Dhcp;
using GGnet.Infrastructure.Dhcp.Dnsmasq;
using GGnet.Infrastructure.Dhcp.Isc;
using GGnet.Infrastructure.Iscsi;
using GGnet.Infrastructure.Iscsi.Lio;
using GGnet.Infrastructure.Iscsi.Tgt;
using GGnet.Infrastructure.Images;
using GGnet.Infrastructure.Jobs;
using GGnet.Infrastructure.Lab;
using GGnet.Infrastructure.Storage;
using GGnet.Core.Domain.Sessions;
using GGnet.Infrastructure.Notifications;
using GGnet.Infrastructure.Processes;
using GGnet.Infrastructure.Tftp;
using GGnet.Infrastructure.Webhooks;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Identity;
using GGnet.Infrastructure.Persistence;
using GGnet.Infrastructure.Persistence.Repositories;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure;

public static class DependencyInjection
{
    /// <summary>Persistence, identity storage and the adapters behind Core's ports, plus Core's use cases.</summary>
    public static IServiceCollection AddGGnetInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.Provider != DatabaseProvider.Postgres || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Database:Provider is Postgres but Database:ConnectionString is empty. Set it, e.g. GGNET__Database__ConnectionString='Host=127.0.0.1;Database=ggnet;Username=ggnet;Password=…'.")
            .ValidateOnStart();
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new GGnet.Core.Audit.AuditRetention(sp.GetRequiredService<IOptions<AuditOptions>>().Value.RetentionDays));
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        services.AddOptions<NetworkSettingsInput>().Bind(configuration.GetSection("Network")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NetworkSettingsInput>, NetworkSettingsValidator>();
        services.AddOptions<BootOptions>().Bind(configuration.GetSection(BootOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new GGnet.Core.Boot.OsTakeOverLimit(TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<BootOptions>>().Value.OsTakeOverWarningSeconds)));
        services.AddSingleton<IValidateOptions<BootOptions>, BootOptionsValidator>();
        services.AddSingleton(sp =>
        {
            var boot = sp.GetRequiredService<IOptions<BootOptions>>().Value;
            return new GGnet.Core.Boot.BootRetention(boot.EventsKeepDays, boot.DiscoveredKeepDays, boot.MaxDiscoveredPcs);
        });
        services.AddOptions<DhcpOptions>().Bind(configuration.GetSection(DhcpOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<GGnet.Core.Telemetry.GGnetMetrics>();
        services.AddOptions<Telemetry.MetricsOptions>().Bind(configuration.GetSection(Telemetry.MetricsOptions.Section));
        services.AddHostedService<Telemetry.MetricsSampler>();
        services.AddSingleton(new GGnet.Core.Sessions.ServerStart(TimeProvider.System.GetUtcNow().UtcDateTime));
        services.AddSingleton<IDbContextFactory<GGnetDbContext>, GGnetDbContextFactory>();
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<GGnetDbContext>>().CreateDbContext());
        services.AddSingleton<DatabaseMigrator>();

        services.AddSingleton<IMachineRepository, MachineRepository>();
        services.AddSingleton<IMachineGroupRepository, MachineGroupRepository>();
        services.AddSingleton<IScheduleRepository, ScheduleRepository>();
        services.AddSingleton<IAuditLog, AuditLog>();
        services.AddOptions<IscsiOptions>().Bind(configuration.GetSection(IscsiOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new GGnet.Core.Iscsi.ChapDefaults(sp.GetRequiredService<IOptions<IscsiOptions>>().Value.Chap));
        services.AddSingleton<ISecretProtector, Identity.DataProtectionSecrets>();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IStoragePool, DiskDirectoryPool>();
        services.AddOptions<Backups.BackupOptions>().Bind(configuration.GetSection(Backups.BackupOptions.Section)).ValidateDataAnnotations()
            .Validate(o => global::Cronos.CronExpression.TryParse(o.Cron, out _), "Backup:Cron is not a cron expression; the default 0 3 * * * is every night at 03:00.")
            .ValidateOnStart();
        services.AddSingleton<IBackupArchive, Backups.ArchiveBackups>();
        services.AddSingleton(sp => new GGnet.Core.Backups.BackupRetention(sp.GetRequiredService<IOptions<Backups.BackupOptions>>().Value.Keep));
        services.AddSingleton<GGnet.Core.Storage.StorageHistory>();
        services.AddHostedService<StorageSampler>();
        services.AddSingleton<ISessionRepository, SessionRepository>();
        services.AddSingleton<SessionDiskFolder>();
        services.AddSingleton<FuseExports>();
        services.AddHostedService<FuseExportWatch>();
        services.AddSingleton<CopyDiskCloner>();
        services.AddSingleton<OverlayDiskCloner>();
        services.AddSingleton<IDiskCloner, SessionDiskCloner>();
        services.AddSingleton<IWakeOnLan, GGnet.Infrastructure.Boot.WakeOnLanSender>();
        services.AddSingleton<IImageRepository, ImageRepository>();
        services.AddSingleton<ImageFiles>();
        services.AddSingleton<IImageFiles>(sp => sp.GetRequiredService<ImageFiles>());
        services.AddSingleton<IDiskImageTool, QemuImg>();
        services.AddSingleton<GGnet.Core.Images.ImageConversions>();
        services.AddSingleton<GGnet.Core.Sessions.ProvisioningProgress>();
        services.AddSingleton(sp => new GGnet.Core.Images.ImageRetention(sp.GetRequiredService<IOptions<StorageOptions>>().Value.KeepVersions));
        services.AddSingleton(sp => new GGnet.Core.Images.UploadLimit(sp.GetRequiredService<IOptions<StorageOptions>>().Value.MaxUploadBytes));
        services.AddOptions<RootHelper.HelperOptions>().Bind(configuration.GetSection(RootHelper.HelperOptions.Section)).ValidateDataAnnotations();
        services.AddSingleton<RootHelper.HelperClient>();
        services.AddSingleton<GGnet.Infrastructure.Iscsi.Tgt.Control.TgtdSocket>();
        services.AddSingleton<GGnet.Infrastructure.Iscsi.Tgt.Control.ITgtControl>(sp =>
            // tgtd answers root only: as root GGnet talks to it, as the service's user through its root helper.
            Environment.IsPrivilegedProcess
                ? sp.GetRequiredService<GGnet.Infrastructure.Iscsi.Tgt.Control.TgtdSocket>()
                : new GGnet.Infrastructure.Iscsi.Tgt.Control.HelperTgtControl(sp.GetRequiredService<RootHelper.HelperClient>()));
        services.AddSingleton<TgtBackend>();
        // The lab network comes up before tgtd, dhcpd and tftpd are used, and goes after them.
        services.AddOptions<LabOptions>().Bind(configuration.GetSection(LabOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LabHttpForwarder>();
        services.AddSingleton<LabWakeListener>();
        services.AddSingleton<AcceleratorProbe>();
        services.AddSingleton<LabNetwork>();
        services.AddSingleton<ILab>(sp => sp.GetRequiredService<LabNetwork>());
        services.AddHostedService(sp => sp.GetRequiredService<LabNetwork>());
        services.AddSingleton<IModeStore, ModeFile>();
        services.AddSingleton<IChapSettingStore, GGnet.Infrastructure.Iscsi.ChapFile>();
        services.AddSingleton<DemoImage>();
        services.AddSingleton<IDemoImage>(sp => sp.GetRequiredService<DemoImage>());
        services.AddSingleton<RealOsImage>();
        services.AddSingleton<IRealOsImage>(sp => sp.GetRequiredService<RealOsImage>());
        services.AddSingleton<QemuVirtualPcs>();
        services.AddSingleton<IVirtualPcs>(sp => sp.GetRequiredService<QemuVirtualPcs>());
        services.AddSingleton<OwnTgtdService>();
        services.AddHostedService(sp => sp.GetRequiredService<OwnTgtdService>());
        services.AddSingleton(new LioKernelSupport());
        services.AddSingleton<LioBackend>();
        services.AddSingleton<IIscsiBackend>(sp => sp.GetRequiredService<IOptions<IscsiOptions>>().Value.Backend == IscsiBackendKind.Lio
            ? sp.GetRequiredService<LioBackend>()
            : sp.GetRequiredService<TgtBackend>());
        services.AddOptions<Nodes.NodeOptions>().Bind(configuration.GetSection(Nodes.NodeOptions.Section)).ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<Nodes.NodeOptions>, Nodes.NodeOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<Nodes.NodeOptions>>().Value.ToLocalNode());
        services.AddOptions<Nodes.RedisOptions>().Bind(configuration.GetSection(Nodes.RedisOptions.Section));
        services.AddSingleton<INodeRepository, NodeRepository>();
        // Registered before the job servers: this node's row exists (and owns what predates nodes) before any job runs.
        services.AddHostedService<Nodes.NodeHeartbeat>();
        services.AddGGnetJobs(configuration);
        services.AddGGnetWebhooks(configuration);
        services.AddSingleton<ILeaseSource, DhcpdLeaseFile>();
        services.AddSingleton<GGnet.Core.Sessions.BootObservationMemory>();
        services.AddHostedService<BootObserverService>();

        services.AddSingleton<IBootRepository, BootRepository>();
        services.AddSingleton(sp => new BootInputsCaching(
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.Sqlite
            || sp.GetRequiredService<IOptions<Nodes.RedisOptions>>().Value.Enabled));
        services.AddSingleton<BootInputs>();
        services.AddSingleton<ScriptFetchLog>();
        services.AddSingleton<IScriptFetchLog>(sp => sp.GetRequiredService<ScriptFetchLog>());
        services.AddHostedService(sp => sp.GetRequiredService<ScriptFetchLog>());
        services.AddSingleton<BootNetwork>();
        services.AddSingleton<IBootNetwork>(sp => sp.GetRequiredService<BootNetwork>());
        services.AddSingleton<INetworkSettingsStore>(sp => sp.GetRequiredService<BootNetwork>());
        services.AddSingleton<IBootFileStore, TftpBootFileStore>();
        services.AddSingleton<IIpxeBinaries, IpxeBinaries>();
        services.AddSingleton<ExternalCommand>();
        services.AddSingleton<LocalConfigInstaller>();
        // Root's DHCP daemons read root's files: as root GGnet installs them, as the service's user its root helper does.
        services.AddSingleton<IConfigInstaller>(sp => Environment.IsPrivilegedProcess
            ? sp.GetRequiredService<LocalConfigInstaller>()
            : new HelperConfigInstaller(sp.GetRequiredService<RootHelper.HelperClient>()));
        services.AddSingleton<ValidatedConfigFile>();
        services.AddSingleton<IscDhcpServer>();
        services.AddSingleton<DnsmasqProxyServer>();
        services.AddSingleton<IDhcpServer, DhcpServer>();
        services.AddSingleton<BootPlaneStatus>();
        services.AddSingleton<IBootDaemons, Boot.BootDaemons>();
        services.AddSingleton<InProcessStatusNotifier>();
        services.AddSingleton<IStatusNotifier>(sp => sp.GetRequiredService<InProcessStatusNotifier>());
        services.AddSingleton<IStatusEvents>(sp => sp.GetRequiredService<InProcessStatusNotifier>());
        services.AddSingleton<BootSyncService>();
        services.AddSingleton<Nodes.RedisClusterRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<Nodes.RedisClusterRelay>());
        services.AddSingleton<IBootSyncTrigger, Nodes.ClusterBootSyncTrigger>();
        services.AddHostedService(sp => sp.GetRequiredService<BootSyncService>());
        // Registered last so it stops first: virtual PCs are powered off while tgtd still answers.
        services.AddHostedService(sp => sp.GetRequiredService<QemuVirtualPcs>());

        foreach (var useCase in UseCases.All)
        {
            services.AddScoped(useCase);
        }

        services.AddScoped<ApiTokenService>();
        services.AddSingleton<LoginThrottle>();
        services.AddScoped<AdminBootstrapper>();
        services.AddSingleton<FirstPassword>();
        services.AddScoped<UserAccounts>();
        return services;
    }

    /// <summary>ASP.NET Core Identity on GGnet's database, with lockout after repeated failures.</summary>
    public static IdentityBuilder AddGGnetIdentityStores(this IdentityBuilder identity) =>
        identity.AddRoles<IdentityRole>().AddEntityFrameworkStores<GGnetDbContext>();
}
