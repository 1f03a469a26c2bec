using GGnet.Core.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Infrastructure.Identity;

public static class IdentitySetup
{
    /// <summary>
    /// The people who log in, kept in GGnet's database: their accounts, API tokens, the first admin and his first password,
    /// the count of wrong passwords and the logins' audit, and the protection of the secrets GGnet stores. ASP.NET Core
    /// Identity itself is added by the web app (<see cref="DependencyInjection.AddGGnetIdentityStores"/>).
    /// </summary>
    public static IServiceCollection AddGGnetIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ISecretProtector, DataProtectionSecrets>();
        services.AddScoped<ApiTokenService>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<LoginAudit>();
        services.AddScoped<AdminBootstrapper>();
        services.AddSingleton<FirstPassword>();
        services.AddScoped<UserAccounts>();
        return services;
    }
}
