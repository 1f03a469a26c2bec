using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Domain.Webhooks;
using GGnet.Infrastructure.Identity;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace GGnet.Infrastructure.Persistence;

/// <summary>
/// GGnet's data. Each provider has a subclass only so that its migrations live apart
/// (<see cref="SqliteGGnetDbContext"/>, <see cref="PostgresGGnetDbContext"/>); the model is this one.
/// </summary>
public abstract class GGnetDbContext(DbContextOptions options) : IdentityDbContext<GGnetUser>(options), IDataProtectionKeyContext
{
    public DbSet<GGnet.Core.Domain.Nodes.Node> Nodes => Set<GGnet.Core.Domain.Nodes.Node>();

    /// <summary>The Data Protection key ring when the database is PostgreSQL: every node decrypts what another encrypted.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Machine> Machines => Set<Machine>();

    public DbSet<MachineGroup> MachineGroups => Set<MachineGroup>();

    public DbSet<GGnet.Core.Domain.Schedules.Schedule> Schedules => Set<GGnet.Core.Domain.Schedules.Schedule>();

    public DbSet<Image> Images => Set<Image>();

    public DbSet<ImageVersion> ImageVersions => Set<ImageVersion>();

    public DbSet<Session> Sessions => Set<Session>();

    public DbSet<Target> Targets => Set<Target>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<DiscoveredPc> DiscoveredPcs => Set<DiscoveredPc>();

    public DbSet<BootEvent> BootEvents => Set<BootEvent>();

    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(GGnetDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }
}

public sealed class SqliteGGnetDbContext(DbContextOptions<SqliteGGnetDbContext> options) : GGnetDbContext(options);

public sealed class PostgresGGnetDbContext(DbContextOptions<PostgresGGnetDbContext> options) : GGnetDbContext(options);
