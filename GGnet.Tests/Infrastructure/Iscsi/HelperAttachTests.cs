using System.Text.Json;
using GGnet.Core.Domain;
using GGnet.Infrastructure.Iscsi.Tgt;
using GGnet.Infrastructure.Iscsi.Tgt.Control;
using GGnet.Infrastructure.Dhcp;
using GGnet.Infrastructure.Processes;
using GGnet.Infrastructure.RootHelper;
using GGnet.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace GGnet.Tests.Infrastructure.Iscsi;

/// <summary>
/// The helper's second look, against a real tgtd: after "attach this disk", the files tgtd newly holds open (its /proc
/// descriptors) must be that disk. A disk swapped for a link between the check and tgtd's open is taken off at once.
/// </summary>
public sealed class HelperAttachTests : IAsyncLifetime
{
    private static readonly HelperPeer Root = new(1, 0, 0);
    private TgtDaemon _tgtd = null!;
    private readonly TempDirectory _disks = new();
    private readonly TempDirectory _imports = new();

    public async Task InitializeAsync() => _tgtd = await TgtDaemon.StartAsync();

    [Fact]
    public async Task ADiskTgtdOpenedAsChecked_StaysAttached()
    {
        var (server, disk) = await PrepareAsync(new HelperFiles(Commands()));

        var reply = Assert.IsType<TgtReply>(await server.AnswerAsync(LunLine(disk), Root, CancellationToken.None));

        Assert.Equal(TgtStatus.Success, reply.Status);
        Assert.Equal([disk], (await TargetAsync()).State.LunPaths);
        // The second look sees what tgtd really holds: the disk is among its open files.
        var pid = await new TgtdSocket(_tgtd.Options()).ServerPidAsync(CancellationToken.None);
        Assert.Contains(disk, new HelperFiles(Commands()).OpenFiles(pid!.Value).Values);
    }

    [Fact]
    public async Task WhenTgtdOpenedAnotherFileThanTheCheckedDisk_TheLunIsRemoved_AndTheAnswerSaysSo()
    {
        var (server, disk) = await PrepareAsync(new SwappedByTheTime(new HelperFiles(Commands())));

        var reply = Assert.IsType<TgtReply>(await server.AnswerAsync(LunLine(disk), Root, CancellationToken.None));

        Assert.Equal(TgtStatus.Refused, reply.Status);
        Assert.Contains("was replaced while tgtd opened it", reply.Text, StringComparison.Ordinal);
        Assert.Empty((await TargetAsync()).State.LunPaths);
    }

    [Fact]
    public async Task AnInstallersIso_ThatEveryoneMayRead_IsAttachedForTheService_AsACdRomOnLun2()
    {
        var (server, disk) = await PrepareAsync(new HelperFiles(Commands()));
        var iso = Path.Combine(_imports.Path, "win11.iso");
        await File.WriteAllBytesAsync(iso, new byte[1 << 20]);
        File.SetUnixFileMode(iso, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var service = new HelperPeer(2, 998, 998);
        var attachIso = JsonSerializer.Serialize(new HelperRequest
        {
            Tgt = new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 5, Lun = 2, BackingStore = iso, DeviceType = TgtDeviceType.Cd },
        }, HelperWire.Json);

        Assert.Equal(TgtStatus.Success, Assert.IsType<TgtReply>(await server.AnswerAsync(LunLine(disk), Root, CancellationToken.None)).Status);
        var reply = Assert.IsType<TgtReply>(await server.AnswerAsync(attachIso, service, CancellationToken.None));
        var listing = (await _tgtd.TgtadmAsync("--lld", "iscsi", "--op", "show", "--mode", "target")).StandardOutput;

        Assert.Equal(TgtStatus.Success, reply.Status);
        Assert.Equal([disk, iso], (await TargetAsync()).State.LunPaths);
        Assert.Contains("Type: cd/dvd", listing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASessionsDataDisks_AreAttachedForTheService_OnTheLunsAfterItsDisk()
    {
        var (server, disk) = await PrepareAsync(new HelperFiles(Commands()));
        var games = Path.Combine(_disks.Path, "session-5-data-1.img");
        var tools = Path.Combine(_disks.Path, "session-5-data-2.img");
        foreach (var copy in new[] { games, tools })
        {
            await using var file = File.Create(copy);
            file.SetLength(2 << 20);
        }
        string Attach(string path, ulong lun) => JsonSerializer.Serialize(new HelperRequest
        {
            Tgt = new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 5, Lun = lun, BackingStore = path },
        }, HelperWire.Json);

        Assert.Equal(TgtStatus.Success, Assert.IsType<TgtReply>(await server.AnswerAsync(LunLine(disk), Root, CancellationToken.None)).Status);
        var first = Assert.IsType<TgtReply>(await server.AnswerAsync(Attach(games, 2), Root, CancellationToken.None));
        var second = Assert.IsType<TgtReply>(await server.AnswerAsync(Attach(tools, 3), Root, CancellationToken.None));

        Assert.Equal((TgtStatus.Success, TgtStatus.Success), (first.Status, second.Status));
        Assert.Equal([disk, games, tools], (await TargetAsync()).State.LunPaths);
    }

    [Fact]
    public async Task AnotherUsersPrivateIso_IsNotAttachedForTheService()
    {
        var (server, disk) = await PrepareAsync(new HelperFiles(Commands()));
        var iso = Path.Combine(_imports.Path, "private.iso");
        await File.WriteAllBytesAsync(iso, new byte[1 << 20]);
        File.SetUnixFileMode(iso, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var attachIso = JsonSerializer.Serialize(new HelperRequest
        {
            Tgt = new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 5, Lun = 2, BackingStore = iso, DeviceType = TgtDeviceType.Cd },
        }, HelperWire.Json);

        Assert.Equal(TgtStatus.Success, Assert.IsType<TgtReply>(await server.AnswerAsync(LunLine(disk), Root, CancellationToken.None)).Status);
        var reply = Assert.IsType<TgtReply>(await server.AnswerAsync(attachIso, new HelperPeer(2, 998, 998), CancellationToken.None));

        Assert.Equal(TgtStatus.Refused, reply.Status);
        Assert.Contains("neither the asking user's nor readable by everyone", reply.Text, StringComparison.Ordinal);
        Assert.Equal([disk], (await TargetAsync()).State.LunPaths);
    }

    private async Task<(RootHelperServer Server, string Disk)> PrepareAsync(IHelperFiles files)
    {
        var tgtd = new TgtdSocket(_tgtd.Options());
        var disk = Path.Combine(_disks.Path, "session-5.img");
        await using (var file = File.Create(disk))
        {
            file.SetLength(4 << 20);
        }
        Assert.True((await tgtd.SendAsync(new TgtRequest(TgtMode.Target, TgtOperation.New) { Tid = 5, TargetName = "iqn.2024-01.net.ggnet:session.5" }, CancellationToken.None)).Succeeded);
        var policy = new TgtRequestPolicy(new TgtHelperLimits(Iqn.Parse("iqn.2024-01.net.ggnet"), _disks.Path, _imports.Path), tgtd, files);
        return (new RootHelperServer(tgtd, policy, files, new LocalConfigInstaller(Commands(), Microsoft.Extensions.Options.Options.Create(new DhcpOptions())), Commands(),
            NullLogger<RootHelperServer>.Instance), disk);
    }

    private static string LunLine(string disk) =>
        JsonSerializer.Serialize(new HelperRequest { Tgt = new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 5, Lun = 1, BackingStore = disk } }, HelperWire.Json);

    private async Task<TgtTargetListing.Entry> TargetAsync() =>
        Assert.Single(TgtTargetListing.Parse((await _tgtd.TgtadmAsync("--lld", "iscsi", "--op", "show", "--mode", "target")).StandardOutput));

    private static ExternalCommand Commands() => new(NullLogger<ExternalCommand>.Instance);

    /// <summary>The real files, except that by the second look tgtd also holds /etc/shadow: what a link swapped in would give.</summary>
    private sealed class SwappedByTheTime(IHelperFiles real) : IHelperFiles
    {
        private int _looks;

        public Task<FileFacts?> FactsAsync(string path, CancellationToken cancellationToken) => real.FactsAsync(path, cancellationToken);

        public Task<string?> RealPathAsync(string path, CancellationToken cancellationToken) => real.RealPathAsync(path, cancellationToken);

        public IReadOnlyDictionary<string, string> OpenFiles(int pid)
        {
            var open = new Dictionary<string, string>(real.OpenFiles(pid));
            if (++_looks > 1)
            {
                open["999"] = "/etc/shadow";
            }
            return open;
        }
    }

    public async Task DisposeAsync()
    {
        await _tgtd.DisposeAsync();
        _disks.Dispose();
        _imports.Dispose();
    }
}
