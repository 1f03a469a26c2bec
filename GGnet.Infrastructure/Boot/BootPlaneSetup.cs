using GGnet.Core.Boot;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Dhcp;
using GGnet.Infrastructure.Dhcp.Dnsmasq;
using GGnet.Infrastructure.Dhcp.Isc;
using GGnet.Infrastructure.Persistence;
using GGnet.Infrastructure.RootHelper;
using GGnet.Infrastructure.Tftp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Boot;

public static class BootPlaneSetup
{
    /// <summary>What PCs boot through: the boot network's settings, DHCP (dhcpd or dnsmasq), the TFTP root and iPXE files,
    /// the scripts' inputs and fetch log, wake-on-LAN, and the leases GGnet watches.</summary>
    public static IServiceCollection AddGGnetBootPlane(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NetworkSettingsInput>().Bind(configuration.GetSection("Network")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NetworkSettingsInput>, NetworkSettingsValidator>();
        services.AddOptions<BootOptions>().Bind(configuration.GetSection(BootOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<BootOptions>, BootOptionsValidator>();
        services.AddSingleton(sp => new OsTakeOverLimit(TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<BootOptions>>().Value.OsTakeOverWarningSeconds)));
        services.AddSingleton(sp =>
        {
            var boot = sp.GetRequiredService<IOptions<BootOptions>>().Value;
            return new BootRetention(boot.EventsKeepDays, boot.DiscoveredKeepDays, boot.MaxDiscoveredPcs);
        });
        services.AddSingleton<BootNetwork>();
        services.AddSingleton<IBootNetwork>(sp => sp.GetRequiredService<BootNetwork>());
        services.AddSingleton<INetworkSettingsStore>(sp => sp.GetRequiredService<BootNetwork>());

        services.AddSingleton(sp => new BootInputsCaching(
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.Sqlite
            || sp.GetRequiredService<IOptions<Nodes.RedisOptions>>().Value.Enabled));
        services.AddSingleton<BootInputs>();
        services.AddSingleton<ScriptFetchLog>();
        services.AddSingleton<IScriptFetchLog>(sp => sp.GetRequiredService<ScriptFetchLog>());
        services.AddSingleton<GGnet.Core.Sessions.BootObservationMemory>();
        services.AddSingleton<IWakeOnLan, WakeOnLanSender>();
        services.AddSingleton<IBootFileStore, TftpBootFileStore>();
        services.AddSingleton<IIpxeBinaries, IpxeBinaries>();
        services.AddSingleton<BootSyncService>();

        services.AddOptions<DhcpOptions>().Bind(configuration.GetSection(DhcpOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ILeaseSource, DhcpdLeaseFile>();
        services.AddSingleton<INeighbourTable>(new KernelNeighbourTable());
        services.AddSingleton<LocalConfigInstaller>();
        // Root's DHCP daemons read root's files: as root GGnet installs them, as the service's user its root helper does.
        services.AddSingleton<IConfigInstaller>(sp => Environment.IsPrivilegedProcess
            ? sp.GetRequiredService<LocalConfigInstaller>()
            : new HelperConfigInstaller(sp.GetRequiredService<HelperClient>()));
        services.AddSingleton<ValidatedConfigFile>();
        services.AddSingleton<IscDhcpServer>();
        services.AddSingleton<DnsmasqProxyServer>();
        services.AddSingleton<IDhcpServer, DhcpServer>();
        services.AddSingleton<BootPlaneStatus>();
        services.AddSingleton<IBootDaemons, BootDaemons>();
        return services;
    }
}
