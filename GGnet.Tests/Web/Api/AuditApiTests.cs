using System.Net.Http.Json;
using System.Text.Json;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Ports;
using GGnet.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Tests.Web.Api;

/// <summary>The audit trail over the real database: filtered by who, what, which action and when; pruned after its retention.</summary>
[Collection(WebAppTests.Name)]
public sealed class AuditApiTests(GGnetAppFactory app) : IClassFixture<GGnetAppFactory>
{
    [Fact]
    public async Task Audit_FiltersByActionWholeOrByItsStart_ByWho_AndByTime()
    {
        using var admin = await app.CreateAdminClientAsync();
        var log = app.Services.GetRequiredService<IAuditLog>();
        var who = TestNames.Unique("auditor");
        var at = new DateTime(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);
        await log.WriteAsync(new AuditEvent(at, who, "session.started", "session", "1", null, "a"), CancellationToken.None);
        await log.WriteAsync(new AuditEvent(at.AddHours(1), who, "session.stopped", "session", "1", null, "b"), CancellationToken.None);
        await log.WriteAsync(new AuditEvent(at.AddHours(2), who, "machine.updated", "machine", "7", "x", "y"), CancellationToken.None);

        var sessions = await ActionsAsync(admin, $"actor={who}&action=session.");
        var stopped = await ActionsAsync(admin, $"actor={who}&action=session.stopped");
        var window = await ActionsAsync(admin, $"actor={who}&from=2026-06-01T12:30:00Z&to=2026-06-01T14:30:00Z");
        var toIsExclusive = await ActionsAsync(admin, $"actor={who}&from=2026-06-01T12:30:00Z&to=2026-06-01T14:00:00Z");
        var nobody = await ActionsAsync(admin, "actor=nobody-at-all");

        Assert.Equal(["session.stopped", "session.started"], sessions);
        Assert.Equal(["session.stopped"], stopped);
        Assert.Equal(["machine.updated", "session.stopped"], window);
        Assert.Equal(["session.stopped"], toIsExclusive);
        Assert.Empty(nobody);
    }

    [Fact]
    public async Task Retention_DeletesEventsOlderThanItsDays_KeepsTheRest_AndRecordsThatItDid()
    {
        var log = app.Services.GetRequiredService<IAuditLog>();
        var who = TestNames.Unique("old");
        await log.WriteAsync(new AuditEvent(DateTime.UtcNow.AddDays(-400), who, "machine.updated", "machine", "1", null, "ancient"), CancellationToken.None);
        await log.WriteAsync(new AuditEvent(DateTime.UtcNow.AddDays(-10), who, "machine.updated", "machine", "1", null, "recent"), CancellationToken.None);

        int pruned;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            pruned = await scope.ServiceProvider.GetRequiredService<PruneAuditEvents>().ExecuteAsync(CancellationToken.None);
        }
        var left = await log.ListAsync(new AuditQuery(new GGnet.Core.Common.PageRequest(1, 50), who), CancellationToken.None);
        var record = await log.ListAsync(new AuditQuery(new GGnet.Core.Common.PageRequest(1, 1), PruneAuditEvents.Actor), CancellationToken.None);

        Assert.True(pruned >= 1);
        Assert.Equal(["recent"], left.Items.Select(e => e.After));
        Assert.Equal("audit.pruned", record.Items.Single().Action);
        Assert.Contains("(kept: 365 days)", record.Items.Single().After, StringComparison.Ordinal);
    }

    private static async Task<List<string>> ActionsAsync(HttpClient admin, string filter) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?{filter}")).GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()!).ToList();
}
