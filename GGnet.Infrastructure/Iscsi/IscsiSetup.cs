using GGnet.Core.Domain.Sessions;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Iscsi.Lio;
using GGnet.Infrastructure.Iscsi.Tgt;
using GGnet.Infrastructure.Iscsi.Tgt.Control;
using GGnet.Infrastructure.RootHelper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Iscsi;

public static class IscsiSetup
{
    /// <summary>The iSCSI target (tgt, or LIO through targetcli), CHAP defaults, and the root helper tgtd is reached through.</summary>
    public static IServiceCollection AddGGnetIscsi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IscsiOptions>().Bind(configuration.GetSection(IscsiOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new GGnet.Core.Iscsi.ChapDefaults(sp.GetRequiredService<IOptions<IscsiOptions>>().Value.Chap));
        services.AddSingleton<IChapSettingStore, ChapFile>();
        services.AddOptions<HelperOptions>().Bind(configuration.GetSection(HelperOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<HelperClient>();
        services.AddSingleton<TgtdSocket>();
        services.AddSingleton<ITgtControl>(sp =>
            // tgtd answers root only: as root GGnet talks to it, as the service's user through its root helper.
            Environment.IsPrivilegedProcess ? sp.GetRequiredService<TgtdSocket>() : new HelperTgtControl(sp.GetRequiredService<HelperClient>()));
        services.AddSingleton<TgtBackend>();
        services.AddSingleton<OwnTgtdService>();
        services.AddSingleton(new LioKernelSupport());
        services.AddSingleton<LioBackend>();
        services.AddSingleton<IIscsiBackend>(sp => sp.GetRequiredService<IOptions<IscsiOptions>>().Value.Backend == IscsiBackendKind.Lio
            ? sp.GetRequiredService<LioBackend>()
            : sp.GetRequiredService<TgtBackend>());
        return services;
    }
}
