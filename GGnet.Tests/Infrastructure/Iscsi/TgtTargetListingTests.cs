using GGnet.Infrastructure.Iscsi.Tgt;

namespace GGnet.Tests.Infrastructure.Iscsi;

/// <summary>tgtd's target listing, as tgtadm prints it, read into targets: what GGnet keeps of each, and nothing else.</summary>
public sealed class TgtTargetListingTests
{
    private const string Listing = """
        Target 1: iqn.2024-01.net.ggnet:session.8
            System information:
                Driver: iscsi
                State: ready
            I_T nexus information:
                I_T nexus: 3
                    Initiator: iqn.2024-01.net.ggnet:pc-17 alias: pc-17
                    Connection: 0
                        IP Address: 10.99.0.17
                I_T nexus: 4
                    Initiator: iqn.2024-01.net.ggnet:pc-17 alias: pc-17
            LUN information:
                LUN: 0
                    Type: controller
                    Backing store type: null
                    Backing store path: None
                    Backing store flags:
                LUN: 1
                    Type: disk
                    Size: 537 MB, Block size: 512
                    Backing store type: rdwr
                    Backing store path: /var/lib/ggnet/sessions/8.img
                    Backing store flags:
            Account information:
                ggnet-8
                ggnet-server (outgoing)
            ACL information:
                10.99.0.17
        Target 2: iqn.2024-01.net.ggnet:session.9
            System information:
                Driver: iscsi
                State: ready
            I_T nexus information:
            LUN information:
                LUN: 0
                    Type: controller
                    Backing store path: None
            Account information:
            ACL information:
                ALL

        """;

    [Fact]
    public void EachTarget_KeepsItsTid_Disks_Accounts_Acl_AndConnections()
    {
        var entries = TgtTargetListing.Parse(Listing);

        Assert.Equal([1, 2], entries.Select(e => e.Tid));
        var first = entries[0];
        Assert.Equal("iqn.2024-01.net.ggnet:session.8", first.State.Target.Value);
        Assert.Equal(["/var/lib/ggnet/sessions/8.img"], first.State.LunPaths);
        Assert.Equal(["ggnet-8", "ggnet-server"], first.Accounts);
        Assert.Equal(["10.99.0.17"], first.State.AllowedInitiators);
        Assert.Equal(2, first.State.Connections.Count);
        Assert.Equal(("iqn.2024-01.net.ggnet:pc-17", "10.99.0.17", "3"), Shape(first.State.Connections[0]));
        // A login whose connection line has not come yet is still a connection, with no address.
        Assert.Equal(("iqn.2024-01.net.ggnet:pc-17", (string?)null, "4"), Shape(first.State.Connections[1]));
        var second = entries[1];
        Assert.Empty(second.State.LunPaths);
        Assert.Empty(second.Accounts);
        Assert.Empty(second.State.Connections);
        Assert.Equal(["ALL"], second.State.AllowedInitiators);
    }

    [Fact]
    public void NoTargets_ReadsAsNone_AndALineThatIsNoTargetStartsNone()
    {
        Assert.Empty(TgtTargetListing.Parse(""));
        Assert.Empty(TgtTargetListing.Parse("Target x: not-an-iqn\n    ACL information:\n        ALL\n"));
    }

    private static (string, string?, string?) Shape(GGnet.Core.Iscsi.IscsiConnection connection) =>
        (connection.Initiator, connection.Address, connection.Login);
}
