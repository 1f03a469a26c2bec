using GGnet.Core.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Infrastructure.Lab;

public static class LabSetup
{
    /// <summary>Lab mode: the private network with its own daemons, virtual PCs, the demo and real-OS images, the mode file.</summary>
    public static IServiceCollection AddGGnetLab(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LabOptions>().Bind(configuration.GetSection(LabOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LabHttpForwarder>();
        services.AddSingleton<LabWakeListener>();
        services.AddSingleton<AcceleratorProbe>();
        services.AddSingleton<LabNetwork>();
        services.AddSingleton<ILab>(sp => sp.GetRequiredService<LabNetwork>());
        services.AddSingleton<IModeStore, ModeFile>();
        services.AddSingleton<DemoImage>();
        services.AddSingleton<IDemoImage>(sp => sp.GetRequiredService<DemoImage>());
        services.AddSingleton<RealOsImage>();
        services.AddSingleton<IRealOsImage>(sp => sp.GetRequiredService<RealOsImage>());
        services.AddSingleton<QemuVirtualPcs>();
        services.AddSingleton<IVirtualPcs>(sp => sp.GetRequiredService<QemuVirtualPcs>());
        return services;
    }
}
