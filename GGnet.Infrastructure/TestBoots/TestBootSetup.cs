using GGnet.Core.Images;
using GGnet.Core.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.TestBoots;

public static class TestBootSetup
{
    /// <summary>Test boots of candidate versions: the settings and the QEMU bench (the watch on canaries starts with the hosted services).</summary>
    public static IServiceCollection AddGGnetTestBoots(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TestBootOptions>().Bind(configuration.GetSection(TestBootOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TestBootOptions>>().Value;
            return new TrialSettings(options.Enabled, TimeSpan.FromSeconds(options.LimitSeconds));
        });
        services.AddSingleton<ITrialBench, QemuTrialBench>();
        return services;
    }
}
