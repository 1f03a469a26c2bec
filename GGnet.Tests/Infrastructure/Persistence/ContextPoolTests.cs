using GGnet.Core.Domain.Machines;
using GGnet.Infrastructure.Persistence;
using GGnet.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GGnet.Tests.Infrastructure.Persistence;

/// <summary>
/// GGnet's contexts come from a pool (<see cref="GGnetDbContextFactory"/>): what one operation leaves in its context —
/// tracked entities, an open connection, a transaction never committed, a changed setting — never reaches the next one.
/// </summary>
public sealed class ContextPoolTests
{
    [Fact]
    public async Task Sqlite_AContextGivenBack_IsHandedOutAgain_WithNothingOfTheLastOperation()
    {
        using var data = new TempDirectory();
        await AssertHandedOutCleanAsync(TestDatabases.NewSqlite(data));
    }

    [Fact]
    public async Task Postgres_AContextGivenBack_IsHandedOutAgain_WithNothingOfTheLastOperation()
    {
        await AssertHandedOutCleanAsync(await TestDatabases.NewPostgresAsync());
    }

    private static async Task AssertHandedOutCleanAsync(DatabaseOptions options)
    {
        var factory = await TestDatabases.MigratedAsync(options);

        GGnetDbContext first;
        await using (var db = factory.CreateDbContext())
        {
            first = db;
            // What ScriptFetchBatch does (its own connection and transaction), left half done as a failed operation leaves it.
            await db.Database.OpenConnectionAsync();
            await db.Database.BeginTransactionAsync();
            db.Machines.Add(Machine("52:54:00:cc:00:01"));
            await db.SaveChangesAsync();
            db.Machines.Add(Machine("52:54:00:cc:00:02"));
            db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        }

        await using var next = factory.CreateDbContext();

        Assert.Same(first, next);
        Assert.Empty(next.ChangeTracker.Entries());
        Assert.Null(next.Database.CurrentTransaction);
        Assert.Equal(QueryTrackingBehavior.TrackAll, next.ChangeTracker.QueryTrackingBehavior);
        // The machine saved in the transaction never committed is gone, and nothing holds the database: a write goes through.
        Assert.Equal(0, await next.Machines.CountAsync());
        next.Machines.Add(Machine("52:54:00:cc:00:03"));
        await next.SaveChangesAsync();
        await using var other = new GGnetDbContextFactory(Options.Create(options)).CreateDbContext();
        Assert.Equal(["52:54:00:cc:00:03"], await other.Machines.Select(m => m.MacAddress.ToString()).ToListAsync());
    }

    private static Machine Machine(string mac) => BootSamples.Machine(0, "pc-" + mac[^2..], mac);
}
