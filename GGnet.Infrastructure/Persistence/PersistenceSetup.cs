using GGnet.Core.Ports;
using GGnet.Infrastructure.Persistence.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Persistence;

public static class PersistenceSetup
{
    /// <summary>The database (SQLite or PostgreSQL), its repositories and the audit log.</summary>
    public static IServiceCollection AddGGnetPersistence(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.Provider != DatabaseProvider.Postgres || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Database:Provider is Postgres but Database:ConnectionString is empty. Set it, e.g. GGNET__Database__ConnectionString='Host=127.0.0.1;Database=ggnet;Username=ggnet;Password=…'.")
            .ValidateOnStart();
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new GGnet.Core.Audit.AuditRetention(sp.GetRequiredService<IOptions<AuditOptions>>().Value.RetentionDays));
        services.AddSingleton<IDbContextFactory<GGnetDbContext>, GGnetDbContextFactory>();
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<GGnetDbContext>>().CreateDbContext());
        services.AddSingleton<DatabaseMigrator>();

        services.AddSingleton<IMachineRepository, MachineRepository>();
        services.AddSingleton<IMachineGroupRepository, MachineGroupRepository>();
        services.AddSingleton<IScheduleRepository, ScheduleRepository>();
        services.AddSingleton<IAuditLog, AuditLog>();
        services.AddSingleton<ISessionRepository, SessionRepository>();
        services.AddSingleton<IImageRepository, ImageRepository>();
        services.AddSingleton<INodeRepository, NodeRepository>();
        services.AddSingleton<IBootRepository, BootRepository>();
        return services;
    }
}
