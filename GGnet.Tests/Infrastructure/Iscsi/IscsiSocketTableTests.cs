using System.Net;
using System.Net.Sockets;
using GGnet.Infrastructure.Iscsi;

namespace GGnet.Tests.Infrastructure.Iscsi;

/// <summary>The kernel's TCP tables as Linux writes them: only established connections to the portal's port count.</summary>
public sealed class IscsiSocketTableTests
{
    private static readonly HashSet<int> Portal = [3260];

    [Fact]
    public void EstablishedConnectionsToThePortal_AreCounted_NotItsListenerNorOtherPorts()
    {
        string[] tcp =
        [
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
            "   0: 0100630A:0CBC 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1001 1 0000000000000000 100 0 0 10 0",
            "   1: 0100630A:0CBC 7563630A:C350 01 00000000:00000000 02:000A7D5B 00000000     0        0 1002 2 0000000000000000 20 4 30 10 -1",
            "   2: 0100630A:0CBC 7663630A:C351 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000",
            "   3: 0100630A:1F90 7563630A:C352 01 00000000:00000000 02:000A7D5B 00000000     0        0 1003 2 0000000000000000 20 4 30 10 -1",
        ];
        string[] tcp6 =
        [
            "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
            "   0: 0000000000000000FFFF00000100630A:0CBC 0000000000000000FFFF00007763630A:C353 01 00000000:00000000 02:000A7D5B 00000000     0        0 1004 2 0000000000000000 20 4 30 10 -1",
        ];

        var found = IscsiSocketTable.Parse(tcp, Portal).Concat(IscsiSocketTable.Parse(tcp6, Portal)).ToList();

        Assert.Equal(["0100630A:0CBC 7563630A:C350", "0000000000000000FFFF00000100630A:0CBC 0000000000000000FFFF00007763630A:C353"], found);
    }

    [Fact]
    public void ARealConnection_IsCountedFromTheKernelsTable_AndTheKeyChangesWithIt_NotOtherwise()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = new HashSet<int> { ((IPEndPoint)listener.LocalEndpoint).Port };
            var none = IscsiSocketTable.Read(null, port)!;
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port.Single());
            using var accepted = listener.AcceptTcpClient();

            var connected = IscsiSocketTable.Read(null, port)!;

            Assert.Equal(0, none.Count);
            Assert.Equal(1, connected.Count);
            Assert.NotEqual(none.Key, connected.Key);
            Assert.Equal(connected, IscsiSocketTable.Read(null, port));
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public void AProcessGone_HasNoTableToRead_SoItsConnectionsAreNotKnown()
    {
        Assert.Null(IscsiSocketTable.Read(int.MaxValue, new HashSet<int> { 3260 }));
    }
}
