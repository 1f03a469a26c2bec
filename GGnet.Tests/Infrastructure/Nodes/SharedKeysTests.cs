using GGnet.Core.Ports;
using GGnet.Infrastructure.Identity;
using GGnet.Infrastructure.Persistence;
using GGnet.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GGnet.Tests.Infrastructure.Nodes;

/// <summary>On PostgreSQL the Data Protection keys live in the database: a CHAP secret one node encrypted, another node decrypts.</summary>
public sealed class SharedKeysTests
{
    [Fact]
    public async Task ASecretProtectedByOneNode_IsReadByAnother_ThroughTheKeysInPostgres()
    {
        var database = await TestDatabases.NewPostgresAsync();
        var factory = await TestDatabases.MigratedAsync(database);

        await using var nodeA = Node(database);
        await using var nodeB = Node(database);
        var stored = nodeA.GetRequiredService<ISecretProtector>().Protect("chap-secret-16ch");
        var read = nodeB.GetRequiredService<ISecretProtector>().Unprotect(stored);

        Assert.Equal("chap-secret-16ch", read);
        await using var db = factory.CreateDbContext();
        Assert.Equal(1, await db.DataProtectionKeys.CountAsync());
        Assert.DoesNotContain("chap-secret-16ch", stored, StringComparison.Ordinal);
    }

    // A node's Data Protection as GGnet composes it on PostgreSQL, and nothing else.
    private static ServiceProvider Node(DatabaseOptions database)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Options.Create(database));
        services.AddSingleton<IDbContextFactory<GGnetDbContext>, GGnetDbContextFactory>();
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<GGnetDbContext>>().CreateDbContext());
        services.AddDataProtection().SetApplicationName("GGnet").PersistKeysToDbContext<GGnetDbContext>();
        services.AddSingleton<ISecretProtector, DataProtectionSecrets>();
        return services.BuildServiceProvider();
    }
}
