using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Iscsi;
using GGnet.Core.Machines;
using GGnet.Core.Webhooks;
using GGnet.Tests.Support;

namespace GGnet.Tests.Core.Machines;

/// <summary>
/// What a machine records as it is created, changed and deleted, what each is audited and published as, and what
/// follows once it is saved: one sync request, every machine's screens refreshed, one webhook per change.
/// </summary>
public sealed class MachineEventTests
{
    private static readonly DateTime Now = new(2026, 12, 4, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Created_Updated_Deleted_AreAuditedWithWhoAndWhat_AndPublishedAsTheirWebhooks()
    {
        var machine = Machine.Create(Details("pc-01"), Now, "alice", note: "imported");
        var created = Assert.Single(machine.TakeHappened());
        machine.Update(Details("pc-02"), "bob", Now);
        var updated = Assert.Single(machine.TakeHappened());
        machine.Delete("carol", Now);
        var deleted = Assert.Single(machine.TakeHappened());

        Assert.Equal(["alice machine.created", "bob machine.updated", "carol machine.deleted"], new[] { created, updated, deleted }.Select(e => $"{e.Audit.Actor} {e.Audit.Action}"));
        Assert.Equal(["machine.created", "machine.updated", "machine.deleted"], new[] { created, updated, deleted }.Select(e => e.WebhookType));
        Assert.StartsWith("name=pc-01 ", updated.Audit.Before, StringComparison.Ordinal);
        Assert.StartsWith("name=pc-02 ", updated.Audit.After, StringComparison.Ordinal);
        Assert.StartsWith("name=pc-02 ", deleted.Audit.Before, StringComparison.Ordinal);
        Assert.Null(deleted.Audit.After);
        Assert.Empty(machine.TakeHappened());
    }

    [Fact]
    public void ACreation_IsAuditedAsTheMachineWasSaved_WithItsNote()
    {
        var machine = Machine.Create(Details("pc-01"), Now, "alice", note: "imported");

        var audit = Assert.Single(machine.TakeHappened()).Audit;

        Assert.Null(audit.Before);
        Assert.StartsWith("imported name=pc-01 mac=52:54:00:00:00:01 ", audit.After, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEditThatChangesNothing_RecordsNothing_AndAChapChange_IsAnUpdateNamingBothPolicies()
    {
        var machine = new Machine(Details("pc-01"), Now);

        var edited = machine.Update(Details("pc-01"), "bob", Now);
        var chapSet = machine.UseChap(ChapPolicy.Mutual, "admin", Now);
        var chapAgain = machine.UseChap(ChapPolicy.Mutual, "admin", Now);

        var audit = Assert.Single(machine.TakeHappened()).Audit;
        Assert.False(edited);
        Assert.True(chapSet);
        Assert.False(chapAgain);
        Assert.Equal(("machine.updated", "chap=default", "chap=mutual"), (audit.Action, audit.Before, audit.After));
    }

    [Fact]
    public async Task AfterTheCommit_OneSyncIsAsked_EachMachineIsRefreshed_AndEachChangeIsPublished()
    {
        var sync = new CountingBootSyncTrigger();
        var screens = new RecordingStatusNotifier();
        var webhooks = new InMemoryWebhooks();
        await webhooks.AddAsync(new GGnet.Core.Domain.Webhooks.WebhookEndpoint(GGnet.Core.Domain.Webhooks.WebhookUrl.Parse("https://billing.example/hook"),
            GGnet.Core.Domain.Webhooks.WebhookEventFilter.Everything, true, "secret", Now), _ => null!, CancellationToken.None);
        var machines = new InMemoryMachineRepository();
        machines.AfterCommit = () => new AfterMachineCommit(sync, screens, new PublishWebhookEvents(webhooks, webhooks, TimeProvider.System));
        var imported = new[] { Machine.Create(Details("pc-01"), Now, "alice"), Machine.Create(Details("pc-02", "52:54:00:00:00:02"), Now, "alice") };

        await machines.AddManyAsync(imported, CancellationToken.None);

        Assert.Equal(1, sync.Requests);
        Assert.Equal([1, 2], screens.MachinesChanged);
        Assert.Equal(["machine.created", "machine.created"], webhooks.Deliveries.Select(d => d.EventType));
        Assert.Contains("\"name\":\"pc-02\"", webhooks.Deliveries[1].Body, StringComparison.Ordinal);
        Assert.Equal(2, machines.Audit.Count);
    }

    private static MachineDetails Details(string name, string mac = "52:54:00:00:00:01") =>
        new(Hostname.Parse(name), MacAddress.Parse(mac), null, null, null, Firmware.Bios, null, true);
}
