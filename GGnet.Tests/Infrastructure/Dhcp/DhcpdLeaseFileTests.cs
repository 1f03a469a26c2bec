using GGnet.Infrastructure.Dhcp;
using GGnet.Infrastructure.Dhcp.Isc;
using Microsoft.Extensions.Options;

namespace GGnet.Tests.Infrastructure.Dhcp;

/// <summary>
/// dhcpd's leases file as the boot observer reads it every few seconds: parsed again only when dhcpd changed it, and
/// every change seen at the next read.
/// </summary>
public sealed class DhcpdLeaseFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ggnet-leases-").FullName;
    private readonly string _path;
    private readonly DhcpdLeaseFile _leases;

    public DhcpdLeaseFileTests()
    {
        _path = Path.Combine(_folder, "dhcpd.leases");
        _leases = new DhcpdLeaseFile(Options.Create(new DhcpOptions { LeasesPath = _path }));
    }

    [Fact]
    public async Task NoFile_IsNoLeasesKeptHere()
    {
        Assert.Null(await _leases.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AnUnchangedFile_IsNotParsedAgain_ButALeaseAppended_IsSeenAtTheNextRead()
    {
        await File.WriteAllTextAsync(_path, Lease("10.99.0.101", "52:54:00:00:01:01", "2026/12/05 08:00:00"));
        var first = await ReadAsync();
        var again = await ReadAsync();
        await File.AppendAllTextAsync(_path, Lease("10.99.0.102", "52:54:00:00:01:02", "2026/12/05 08:00:05"));
        var afterAppend = await ReadAsync();

        Assert.Equal("52:54:00:00:01:01", Assert.Single(first).MacAddress.Value);
        Assert.Same(first, again);
        Assert.Equal(["10.99.0.101", "10.99.0.102"], afterAppend.Select(l => l.Address.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AFileRewrittenToTheSameSize_IsReadAgain_ByItsNewTimeOfWriting()
    {
        await File.WriteAllTextAsync(_path, Lease("10.99.0.101", "52:54:00:00:01:01", "2026/12/05 08:00:00"));
        File.SetLastWriteTimeUtc(_path, new DateTime(2026, 12, 5, 8, 0, 0, DateTimeKind.Utc));
        var before = await ReadAsync();
        await File.WriteAllTextAsync(_path, Lease("10.99.0.101", "52:54:00:00:01:09", "2026/12/05 08:10:00"));
        File.SetLastWriteTimeUtc(_path, new DateTime(2026, 12, 5, 8, 10, 0, DateTimeKind.Utc));

        var after = await ReadAsync();

        Assert.Equal("52:54:00:00:01:01", Assert.Single(before).MacAddress.Value);
        Assert.Equal("52:54:00:00:01:09", Assert.Single(after).MacAddress.Value);
    }

    [Fact]
    public void ALeaseDhcpdFreed_OrThatEnded_IsNoLongerHeld_ALeaseThatNeverEnds_Is_EachAddressByItsLatestEntry()
    {
        var text = """
            lease 10.99.0.105 {
              starts 1 2026/12/07 08:00:00;
              ends 1 2026/12/07 09:00:00;
              cltt 1 2026/12/07 08:00:00;
              binding state active;
              next binding state free;
              rewind binding state free;
              hardware ethernet 52:54:00:00:00:05;
            }
            lease 10.99.0.105 {
              starts 1 2026/12/07 08:00:00;
              ends 1 2026/12/07 09:00:00;
              tstp 1 2026/12/07 09:00:00;
              cltt 1 2026/12/07 08:00:00;
              binding state free;
              hardware ethernet 52:54:00:00:00:05;
            }
            lease 10.99.0.106 {
              starts 1 2026/12/07 08:30:00;
              ends 1 2026/12/07 09:30:00;
              binding state active;
              next binding state free;
              hardware ethernet 52:54:00:00:00:06;
            }
            lease 10.99.0.107 {
              starts 1 2026/12/07 08:30:00;
              ends never;
              binding state active;
              hardware ethernet 52:54:00:00:00:07;
            }
            lease 10.99.0.108 {
              starts 1 2026/12/07 08:40:00;
              ends 1 2026/12/07 09:40:00;
              binding state active;
              hardware ethernet 52:54:00:00:00:05;
            }

            """;
        var at = new DateTime(2026, 12, 7, 9, 10, 0, DateTimeKind.Utc);

        var leases = DhcpdLeaseFile.Parse(text).ToDictionary(l => l.Address.ToString());

        Assert.Equal(4, leases.Count);
        Assert.True(leases["10.99.0.108"].HoldsAt(at));
        Assert.Equal("52:54:00:00:00:05", leases["10.99.0.108"].MacAddress.Value);
        Assert.False(leases["10.99.0.105"].Bound);
        Assert.False(leases["10.99.0.105"].HoldsAt(at));
        Assert.True(leases["10.99.0.106"].HoldsAt(at));
        Assert.False(leases["10.99.0.106"].HoldsAt(at.AddMinutes(20)));
        Assert.Null(leases["10.99.0.107"].Ends);
        Assert.True(leases["10.99.0.107"].HoldsAt(at.AddYears(1)));
    }

    // The file is there in these tests: its leases, never null.
    private async Task<IReadOnlyList<GGnet.Core.Ports.DhcpLease>> ReadAsync() => await _leases.ReadAsync(CancellationToken.None) ?? throw new InvalidOperationException("no leases file");

    private static string Lease(string address, string mac, string starts) =>
        $"lease {address} {{\n  starts 6 {starts};\n  binding state active;\n  hardware ethernet {mac};\n}}\n";

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
