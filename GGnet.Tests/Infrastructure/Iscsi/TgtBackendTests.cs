using CliWrap;
using CliWrap.Buffered;
using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Core.Iscsi;
using GGnet.Infrastructure.Iscsi.Tgt;
using GGnet.Infrastructure.Iscsi.Tgt.Control;
using GGnet.Tests.Support;

namespace GGnet.Tests.Infrastructure.Iscsi;

/// <summary>The tgt adapter against a real tgtd on loopback, checked with libiscsi's own initiator tools.</summary>
public sealed class TgtBackendTests : IAsyncLifetime
{
    private static readonly Iqn Initiator = Iqn.Parse("iqn.2024-01.net.ggnet:initiator.525400000001");
    private TgtDaemon _tgtd = null!;
    private TgtBackend _backend = null!;
    private string _disk = null!;

    public async Task InitializeAsync()
    {
        _tgtd = await TgtDaemon.StartAsync();
        _backend = _tgtd.Backend();
        _disk = Path.Combine(_tgtd.Directory, "disk.img");
        await using var file = File.Create(_disk);
        file.SetLength(4 << 20);
    }

    [Fact]
    public async Task Create_ListsTheTargetWithLun1AndItsAcl()
    {
        var target = Iqn.Parse("iqn.2024-01.net.ggnet:session.1");

        await _backend.CreateTargetAsync(new IscsiTargetSpec(target, _disk, Initiator, null), CancellationToken.None);
        var listed = Assert.Single(await _backend.ListTargetsAsync(CancellationToken.None));

        Assert.Equal(target, listed.Target);
        Assert.Equal([_disk], listed.LunPaths);
        Assert.Equal([Initiator.Value], listed.AllowedInitiators);
        Assert.Empty(listed.Connections);
    }

    [Fact]
    public async Task Contract_TheDiskLun_IsLun1_WhereAnInitiatorFindsTheDisk_AndLun0IsTheController()
    {
        var target = Iqn.Parse("iqn.2024-01.net.ggnet:session.21");
        await _backend.CreateTargetAsync(new IscsiTargetSpec(target, _disk, Initiator, null), CancellationToken.None);

        var disk = await CapacityAsync(target, _backend.DiskLun);
        var controller = await CapacityAsync(target, 0);

        Assert.Equal(1, _backend.DiskLun);
        Assert.Equal(0, disk.ExitCode);
        // The last block of 8192 × 512 bytes: the 4 MiB disk.
        Assert.Contains("RETURNEDLOGICALBLOCKADDRESS:8191\n", disk.StandardOutput.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("RETURNEDLOGICALBLOCKADDRESS:8191\n", controller.StandardOutput.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInstallsIso_IsACdRomOnLun2_BehindTheSameAclAsTheDisk()
    {
        var target = Iqn.Parse("iqn.2024-01.net.ggnet:session.30");
        var iso = Path.Combine(_tgtd.Directory, "installer.iso");
        await File.WriteAllBytesAsync(iso, new byte[1 << 20]);

        await _backend.CreateTargetAsync(new IscsiTargetSpec(target, _disk, Initiator, null, InstallMediumPath: iso), CancellationToken.None);
        var listed = Assert.Single(await _backend.ListTargetsAsync(CancellationToken.None));
        var medium = await InquiryAsync(Initiator.Value, target, lun: 2);
        var disk = await InquiryAsync(Initiator.Value, target, lun: 1);
        var stranger = await InquiryAsync("iqn.2024-01.net.ggnet:initiator.stranger", target, lun: 2);

        Assert.Equal([_disk, iso], listed.LunPaths);
        Assert.Equal(0, medium.ExitCode);
        Assert.Contains(CdRom, medium.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(CdRom, disk.StandardOutput, StringComparison.Ordinal);
        Assert.NotEqual(0, stranger.ExitCode);
    }

    [Fact]
    public async Task DataDisks_AreTheLunsAfterTheDisk_InOrder_EachItsOwnFile_BehindTheSameAcl()
    {
        var target = Iqn.Parse("iqn.2024-01.net.ggnet:session.31");
        var games = Path.Combine(_tgtd.Directory, "session-31-data-1.img");
        var tools = Path.Combine(_tgtd.Directory, "session-31-data-2.img");
        await using (var file = File.Create(games))
        {
            file.SetLength(8 << 20);
        }
        await using (var file = File.Create(tools))
        {
            file.SetLength(2 << 20);
        }

        await _backend.CreateTargetAsync(new IscsiTargetSpec(target, _disk, Initiator, null, DataDiskPaths: [games, tools]), CancellationToken.None);
        var listed = Assert.Single(await _backend.ListTargetsAsync(CancellationToken.None));
        var first = await CapacityAsync(target, GGnet.Core.Images.DataDisks.LunOf(_backend.DiskLun, 1));
        var second = await CapacityAsync(target, GGnet.Core.Images.DataDisks.LunOf(_backend.DiskLun, 2));
        var stranger = await InquiryAsync("iqn.2024-01.net.ggnet:initiator.stranger", target, lun: 2);

        Assert.Equal([_disk, games, tools], listed.LunPaths);
        // The last block of each: 8 MiB and 2 MiB in 512-byte blocks.
        Assert.Contains("RETURNEDLOGICALBLOCKADDRESS:16383\n", first.StandardOutput.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("RETURNEDLOGICALBLOCKADDRESS:4095\n", second.StandardOutput.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.NotEqual(0, stranger.ExitCode);
    }

    [Fact]
    public async Task ADataDiskThatCantBeAttached_LeavesNoTargetBehind()
    {
        var target = Iqn.Parse("iqn.2024-01.net.ggnet:session.32");

        await Assert.ThrowsAsync<IscsiBackendException>(() =>
            _backend.CreateTargetAsync(new IscsiTargetSpec(target, _disk, Initiator, null, DataDiskPaths: [Path.Combine(_tgtd.Directory, "missing.img")]), CancellationToken.None));

        Assert.Empty(await _backend.ListTargetsAsync(CancellationToken.None));
    }

    // How iscsi-inq names SCSI device type 5 (a CD/DVD drive).
    private const string CdRom = "MMC";

    [Fact]
    public async Task Acl_LetsTheMachinesInitiatorIn_AndNoOtherOne()
    {
        var target = Iqn.Parse("iqn.2024-01.net.ggnet:session.2");
        await _backend.CreateTargetAsync(new IscsiTargetSpec(target, _disk, Initiator, null), CancellationToken.None);

        var allowed = await InquiryAsync(Initiator.Value, target);
        var stranger = await InquiryAsync("iqn.2024-01.net.ggnet:initiator.stranger", target);

        Assert.Equal(0, allowed.ExitCode);
        Assert.Contains("Peripheral Device Type", allowed.StandardOutput, StringComparison.Ordinal);
        Assert.NotEqual(0, stranger.ExitCode);
    }

    [Fact]
    public async Task Chap_IsRequiredWhenSet()
    {
        var target = Iqn.Parse("iqn.2024-01.net.ggnet:session.3");
        await _backend.CreateTargetAsync(new IscsiTargetSpec(target, _disk, Initiator, new ChapCredentials("pc-01", "s3cretS3cret12")), CancellationToken.None);

        var without = await InquiryAsync(Initiator.Value, target);
        var with = await InquiryAsync(Initiator.Value, target, "pc-01%s3cretS3cret12@");

        Assert.NotEqual(0, without.ExitCode);
        Assert.Equal(0, with.ExitCode);
    }

    [Fact]
    public async Task MutualChap_TheTargetProvesItself_AndAWrongSecretIsRefused()
    {
        var target = Iqn.Parse("iqn.2024-01.net.ggnet:session.5");
        await _backend.CreateTargetAsync(new IscsiTargetSpec(target, _disk, Initiator, new ChapCredentials("pc-05", "s3cretS3cret12", "pc-05-target", "t4rgetS3cret12")), CancellationToken.None);

        var right = await InquiryAsync(Initiator.Value, target, "pc-05%s3cretS3cret12@", "?target_user=pc-05-target&target_password=t4rgetS3cret12");
        var wrongTargetSecret = await InquiryAsync(Initiator.Value, target, "pc-05%s3cretS3cret12@", "?target_user=pc-05-target&target_password=notTheTargets1");
        var wrongSecret = await InquiryAsync(Initiator.Value, target, "pc-05%wrongSecret123@");
        var accounts = (await _tgtd.TgtadmAsync("--lld", "iscsi", "--op", "show", "--mode", "account")).StandardOutput;

        Assert.True(right.ExitCode == 0, right.StandardError);
        Assert.NotEqual(0, wrongTargetSecret.ExitCode);
        Assert.NotEqual(0, wrongSecret.ExitCode);
        Assert.Contains("pc-05-target", accounts, StringComparison.Ordinal);
    }

    // libiscsi on loopback always connects from 127.0.0.1: that is "the PC's address" here, 127.0.0.2 "another one".
    [Fact]
    public async Task AddressAcl_AdmitsThePcsAddressOnly_EvenWithTheRightNameAndSecret()
    {
        var atThePc = Iqn.Parse("iqn.2024-01.net.ggnet:session.20");
        var elsewhere = Iqn.Parse("iqn.2024-01.net.ggnet:session.21");
        var chap = new ChapCredentials("pc-20", "s3cretS3cret12");
        await _backend.CreateTargetAsync(new IscsiTargetSpec(atThePc, _disk, Initiator, chap, Ipv4Address.Parse("127.0.0.1")), CancellationToken.None);
        await _backend.CreateTargetAsync(new IscsiTargetSpec(elsewhere, _disk, Initiator, chap with { User = "pc-21" }, Ipv4Address.Parse("127.0.0.2")), CancellationToken.None);

        var fromThePc = await InquiryAsync(Initiator.Value, atThePc, "pc-20%s3cretS3cret12@");
        var fromAnotherAddress = await InquiryAsync(Initiator.Value, elsewhere, "pc-21%s3cretS3cret12@");
        var acl = (await _backend.ListTargetsAsync(CancellationToken.None)).Single(t => t.Target == atThePc).AllowedInitiators;

        Assert.True(fromThePc.ExitCode == 0, fromThePc.StandardError);
        Assert.NotEqual(0, fromAnotherAddress.ExitCode);
        Assert.Equal(["127.0.0.1"], acl);
    }

    [Fact]
    public async Task AdmitOnly_NarrowsANameAclToTheAddress_AndMovesWithThePc()
    {
        var target = Iqn.Parse("iqn.2024-01.net.ggnet:session.22");
        await _backend.CreateTargetAsync(new IscsiTargetSpec(target, _disk, Initiator, null), CancellationToken.None);

        var byNameBefore = await InquiryAsync(Initiator.Value, target);
        await _backend.AdmitOnlyAsync(target, Ipv4Address.Parse("127.0.0.2"), CancellationToken.None);
        var byNameFromElsewhere = await InquiryAsync(Initiator.Value, target);
        var aclElsewhere = (await _backend.ListTargetsAsync(CancellationToken.None)).Single().AllowedInitiators;
        await _backend.AdmitOnlyAsync(target, Ipv4Address.Parse("127.0.0.1"), CancellationToken.None);
        var fromThePcNow = await InquiryAsync("iqn.2024-01.net.example:any-name", target);
        var aclHere = (await _backend.ListTargetsAsync(CancellationToken.None)).Single().AllowedInitiators;
        await _backend.AdmitOnlyAsync(Iqn.Parse("iqn.2024-01.net.ggnet:session.404"), Ipv4Address.Parse("127.0.0.1"), CancellationToken.None);

        Assert.Equal(0, byNameBefore.ExitCode);
        Assert.NotEqual(0, byNameFromElsewhere.ExitCode);
        Assert.Equal(["127.0.0.2"], aclElsewhere);
        Assert.True(fromThePcNow.ExitCode == 0, fromThePcNow.StandardError);
        Assert.Equal(["127.0.0.1"], aclHere);
    }

    [Fact]
    public async Task AdmitOnly_PutsOutWhoeverGotInBeforeFromElsewhere()
    {
        var target = Iqn.Parse("iqn.2024-01.net.ggnet:session.24");
        await _backend.CreateTargetAsync(new IscsiTargetSpec(target, _disk, Initiator, null), CancellationToken.None);
        using var stopPerf = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // Someone logs in by the initiator name, from 127.0.0.1, before the PC (at 127.0.0.2) asked for its script.
        var byName = LogIn(target, stopPerf.Token);
        IReadOnlyList<IscsiConnection> before = [];
        await Eventually.HoldsAsync(async () => (before = (await _backend.ListTargetsAsync(CancellationToken.None)).Single().Connections).Count > 0, "the login by name");

        await _backend.AdmitOnlyAsync(target, Ipv4Address.Parse("127.0.0.2"), CancellationToken.None);
        IReadOnlyList<IscsiConnection> after = before;
        for (var look = 0; look < 100 && after.Count > 0; look++)
        {
            await Task.Delay(100);
            after = (await _backend.ListTargetsAsync(CancellationToken.None)).Single().Connections;
        }
        await LogOutAsync(stopPerf, byName);

        Assert.Equal("127.0.0.1", Assert.Single(before).Address);
        Assert.Empty(after);
    }

    [Fact]
    public async Task AdmitOnly_KeepsThePcsOwnConnection_FromTheAddressItNarrowsTo()
    {
        var target = Iqn.Parse("iqn.2024-01.net.ggnet:session.25");
        await _backend.CreateTargetAsync(new IscsiTargetSpec(target, _disk, Initiator, null), CancellationToken.None);
        using var stopPerf = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // The PC (at 127.0.0.1) logged in by its name; its next script request narrows the target to its address.
        var thePc = LogIn(target, stopPerf.Token);
        IReadOnlyList<IscsiConnection> before = [];
        await Eventually.HoldsAsync(async () => (before = (await _backend.ListTargetsAsync(CancellationToken.None)).Single().Connections).Count > 0, "the PC's login");

        await _backend.AdmitOnlyAsync(target, Ipv4Address.Parse("127.0.0.1"), CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var after = (await _backend.ListTargetsAsync(CancellationToken.None)).Single().Connections;
        await LogOutAsync(stopPerf, thePc);

        Assert.Equal(before.Select(c => c.Login), after.Select(c => c.Login));
        Assert.Equal("127.0.0.1", Assert.Single(after).Address);
    }

    [Fact]
    public async Task ListenOnlyOn_MovesThePortalToThatAddress_AndAnAddressNotOnTheServerChangesNothing()
    {
        var target = Iqn.Parse("iqn.2024-01.net.ggnet:session.23");
        await _backend.CreateTargetAsync(new IscsiTargetSpec(target, _disk, Initiator, null), CancellationToken.None);

        await _backend.ListenOnlyOnAsync(Ipv4Address.Parse("127.0.0.2"), CancellationToken.None);
        var atTheOldAddress = await InquiryAsync(Initiator.Value, target);
        var atTheNewAddress = await InquiryAsync(Initiator.Value, target, host: "127.0.0.2");
        var notHere = await Assert.ThrowsAsync<IscsiBackendException>(() => _backend.ListenOnlyOnAsync(Ipv4Address.Parse("10.123.0.1"), CancellationToken.None));
        var stillThere = await InquiryAsync(Initiator.Value, target, host: "127.0.0.2");
        var portals = (await _tgtd.TgtadmAsync("--lld", "iscsi", "--op", "show", "--mode", "portal")).StandardOutput;

        Assert.NotEqual(0, atTheOldAddress.ExitCode);
        Assert.True(atTheNewAddress.ExitCode == 0, atTheNewAddress.StandardError);
        Assert.Contains("listen on 10.123.0.1", notHere.Message, StringComparison.Ordinal);
        Assert.True(stillThere.ExitCode == 0, stillThere.StandardError);
        Assert.Equal($"Portal: 127.0.0.2:{_tgtd.IscsiPort},1", portals.Trim());
    }

    [Fact]
    public async Task Delete_RemovesTheTargetsChapAccounts_AndALeftoverAccountIsReplaced()
    {
        var first = Iqn.Parse("iqn.2024-01.net.ggnet:session.6");
        var second = Iqn.Parse("iqn.2024-01.net.ggnet:session.7");
        // A crash left an account of this name behind, with another secret.
        await _tgtd.TgtadmAsync("--lld", "iscsi", "--op", "new", "--mode", "account", "--user", "pc-06", "--password", "oldSecretOld12");

        await _backend.CreateTargetAsync(new IscsiTargetSpec(first, _disk, Initiator, new ChapCredentials("pc-06", "newSecretNew12", "pc-06-target", "t4rgetS3cret12")), CancellationToken.None);
        var withNewSecret = await InquiryAsync(Initiator.Value, first, "pc-06%newSecretNew12@");
        await _backend.DeleteTargetAsync(first, CancellationToken.None);
        var afterDelete = (await _tgtd.TgtadmAsync("--lld", "iscsi", "--op", "show", "--mode", "account")).StandardOutput;
        await _backend.CreateTargetAsync(new IscsiTargetSpec(second, _disk, Initiator, new ChapCredentials("pc-06", "newSecretNew12")), CancellationToken.None);

        Assert.Equal(0, withNewSecret.ExitCode);
        Assert.DoesNotContain("pc-06", afterDelete, StringComparison.Ordinal);
        Assert.Single(await _backend.ListTargetsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ConnectedInitiator_IsSeen_AndDeleteStillWorksWhileConnected()
    {
        var target = Iqn.Parse("iqn.2024-01.net.ggnet:session.4");
        await _backend.CreateTargetAsync(new IscsiTargetSpec(target, _disk, Initiator, null), CancellationToken.None);
        using var stopPerf = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var perf = LogIn(target, stopPerf.Token);

        IscsiConnection? seen = null;
        for (var attempt = 0; attempt < 100 && seen is null; attempt++)
        {
            await Task.Delay(100);
            var connections = (await _backend.ListTargetsAsync(CancellationToken.None)).Single().Connections;
            seen = connections.Count > 0 ? connections[0] : null;
        }
        await _backend.DeleteTargetAsync(target, CancellationToken.None);
        var remaining = await _backend.ListTargetsAsync(CancellationToken.None);
        await LogOutAsync(stopPerf, perf);

        Assert.NotNull(seen);
        Assert.Equal(Initiator.Value, seen.Initiator);
        Assert.Equal("127.0.0.1", seen.Address);
        Assert.Empty(remaining);
    }

    [Fact]
    public async Task TwoLoginsOfOneInitiator_AreTwoConnections_ToldApartByTheirLogin()
    {
        // A PC's firmware and then its OS log in with the same initiator name: only the login id differs.
        var target = Iqn.Parse("iqn.2024-01.net.ggnet:session.5");
        await _backend.CreateTargetAsync(new IscsiTargetSpec(target, _disk, Initiator, null), CancellationToken.None);
        using var stopPerf = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var logins = Enumerable.Range(0, 2).Select(_ => LogIn(target, stopPerf.Token)).ToArray();

        IReadOnlyList<IscsiConnection> seen = [];
        for (var attempt = 0; attempt < 100 && seen.Count < 2; attempt++)
        {
            await Task.Delay(100);
            seen = (await _backend.ListTargetsAsync(CancellationToken.None)).Single().Connections;
        }
        await LogOutAsync(stopPerf, logins);

        Assert.Equal(2, seen.Count);
        Assert.All(seen, c => Assert.Equal(Initiator.Value, c.Initiator));
        Assert.All(seen, c => Assert.False(string.IsNullOrEmpty(c.Login)));
        Assert.NotEqual(seen[0].Login, seen[1].Login);
    }

    // libiscsi's iscsi-perf logged in to the target as Initiator, reading until stopped.
    private Task LogIn(Iqn target, CancellationToken stop) => Cli.Wrap("/usr/bin/iscsi-perf")
        .WithArguments(["-i", Initiator.Value, "-m", "1", $"iscsi://127.0.0.1:{_tgtd.IscsiPort}/{target}/1"])
        .WithValidation(CommandResultValidation.None)
        .ExecuteBufferedAsync(stop);

    private static async Task LogOutAsync(CancellationTokenSource stop, params Task[] logins)
    {
        await stop.CancelAsync();
        foreach (var login in logins)
        {
            try
            {
                await login;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    [Fact]
    public async Task Sockets_CountThePcsLogins_AndChangeWhenOneComesOrGoes_WithoutTgtsListing()
    {
        var counting = new CountingControl(new GGnet.Infrastructure.Iscsi.Tgt.Control.TgtdSocket(_tgtd.Options()));
        var backend = new TgtBackend(counting, _tgtd.Options(), TimeProvider.System);
        var target = Iqn.Parse("iqn.2024-01.net.ggnet:session.6");
        await backend.CreateTargetAsync(new IscsiTargetSpec(target, _disk, Initiator, null), CancellationToken.None);
        var before = await backend.ReadSocketsAsync(CancellationToken.None);
        using var stopPerf = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var perf = LogIn(target, stopPerf.Token);
        for (var attempt = 0; attempt < 100 && (await backend.ListTargetsAsync(CancellationToken.None)).Single().Connections.Count == 0; attempt++)
        {
            await Task.Delay(100);
        }
        var listings = counting.Listings;
        var loggedIn = await backend.ReadSocketsAsync(CancellationToken.None);
        var listingsForSockets = counting.Listings - listings;
        await LogOutAsync(stopPerf, perf);
        var after = await backend.ReadSocketsAsync(CancellationToken.None);
        for (var attempt = 0; attempt < 100 && after!.Count > 0; attempt++)
        {
            await Task.Delay(100);
            after = await backend.ReadSocketsAsync(CancellationToken.None);
        }

        Assert.Equal(0, before!.Count);
        Assert.Equal(1, loggedIn!.Count);
        Assert.NotEqual(before.Key, loggedIn.Key);
        Assert.Equal(0, listingsForSockets);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Sockets_AreNotKnown_WhenTgtdDoesNotAnswer_OrRunsInANamespaceWhoseProcessCantBeTold()
    {
        var gone = Microsoft.Extensions.Options.Options.Create(new GGnet.Infrastructure.Iscsi.IscsiOptions
        {
            TgtControlPort = _tgtd.Options().Value.TgtControlPort,
            TgtIpcSocket = Path.Combine(_tgtd.Directory, "nobody-listens.sock"),
        });
        var inNamespace = Microsoft.Extensions.Options.Options.Create(new GGnet.Infrastructure.Iscsi.IscsiOptions
        {
            TgtControlPort = _tgtd.Options().Value.TgtControlPort,
            TgtIpcSocket = _tgtd.IpcSocket,
            NetworkNamespace = "ggnet-lab",
        });

        var unanswered = await new TgtBackend(new GGnet.Infrastructure.Iscsi.Tgt.Control.TgtdSocket(gone), gone, TimeProvider.System)
            .ReadSocketsAsync(CancellationToken.None);
        var untold = await new TgtBackend(new WithoutPid(new GGnet.Infrastructure.Iscsi.Tgt.Control.TgtdSocket(inNamespace)), inNamespace, TimeProvider.System)
            .ReadSocketsAsync(CancellationToken.None);
        var told = await new TgtBackend(new GGnet.Infrastructure.Iscsi.Tgt.Control.TgtdSocket(inNamespace), inNamespace, TimeProvider.System)
            .ReadSocketsAsync(CancellationToken.None);

        Assert.Null(unanswered);
        Assert.Null(untold);
        Assert.NotNull(told);
    }

    // tgtd reached another way than its socket (GGnet's root helper): its process is not known.
    private sealed class WithoutPid(ITgtControl inner) : ITgtControl
    {
        public Task<TgtReply> SendAsync(TgtRequest request, CancellationToken cancellationToken) => inner.SendAsync(request, cancellationToken);
    }

    [Fact]
    public async Task Delete_OfATargetMadeHere_AsksTgtForNoListing_AndRemovesExactlyIt()
    {
        var counting = new CountingControl(new GGnet.Infrastructure.Iscsi.Tgt.Control.TgtdSocket(_tgtd.Options()));
        var backend = new TgtBackend(counting, _tgtd.Options(), TimeProvider.System);
        var stopped = Iqn.Parse("iqn.2024-01.net.ggnet:session.21");
        var running = Iqn.Parse("iqn.2024-01.net.ggnet:session.22");
        await backend.CreateTargetAsync(new IscsiTargetSpec(stopped, _disk, Initiator, new ChapCredentials("pc-21", "secretSecret21")), CancellationToken.None);
        await backend.CreateTargetAsync(new IscsiTargetSpec(running, _disk, Initiator, null), CancellationToken.None);
        var listingsBefore = counting.Listings;

        await backend.DeleteTargetAsync(stopped, CancellationToken.None);

        Assert.Equal(listingsBefore, counting.Listings);
        Assert.Equal([running], (await backend.ListTargetsAsync(CancellationToken.None)).Select(t => t.Target));
        Assert.DoesNotContain("pc-21", (await _tgtd.TgtadmAsync("--lld", "iscsi", "--op", "show", "--mode", "account")).StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_AfterTgtLostTheTarget_AndTheIdWentToAnother_LeavesTheOtherAlone()
    {
        var lost = Iqn.Parse("iqn.2024-01.net.ggnet:session.31");
        var other = Iqn.Parse("iqn.2024-01.net.ggnet:session.32");
        await _backend.CreateTargetAsync(new IscsiTargetSpec(lost, _disk, Initiator, null), CancellationToken.None);
        var tid = (await _tgtd.TgtadmAsync("--lld", "iscsi", "--op", "show", "--mode", "target")).StandardOutput.Split('\n')[0].Split(' ', ':')[1];
        // Another program removes it and takes its id for a target of its own.
        await _tgtd.TgtadmAsync("--lld", "iscsi", "--op", "delete", "--mode", "target", "--tid", tid, "--force");
        await _tgtd.TgtadmAsync("--lld", "iscsi", "--op", "new", "--mode", "target", "--tid", tid, "--targetname", other.Value);
        await _backend.ListTargetsAsync(CancellationToken.None);

        await _backend.DeleteTargetAsync(lost, CancellationToken.None);

        Assert.Equal([other], (await _backend.ListTargetsAsync(CancellationToken.None)).Select(t => t.Target));
    }

    private sealed class CountingControl(ITgtControl inner) : ITgtControl
    {
        public int Listings { get; private set; }

        public Task<TgtReply> SendAsync(TgtRequest request, CancellationToken cancellationToken)
        {
            if (request.Mode == TgtMode.Target && request.Operation == TgtOperation.Show)
            {
                Listings++;
            }
            return inner.SendAsync(request, cancellationToken);
        }

        public Task<int?> ServerPidAsync(CancellationToken cancellationToken) => inner.ServerPidAsync(cancellationToken);
    }

    [Fact]
    public async Task Delete_MissingTarget_IsNotAnError()
    {
        await _backend.DeleteTargetAsync(Iqn.Parse("iqn.2024-01.net.ggnet:session.404"), CancellationToken.None);

        Assert.Empty(await _backend.ListTargetsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Create_FailingAtTheLunStep_LeavesNothingBehind()
    {
        var target = Iqn.Parse("iqn.2024-01.net.ggnet:session.5");

        var error = await Assert.ThrowsAsync<IscsiBackendException>(() =>
            _backend.CreateTargetAsync(new IscsiTargetSpec(target, Path.Combine(_tgtd.Directory, "missing.img"), Initiator, null), CancellationToken.None));

        Assert.Contains("attach", error.Message, StringComparison.Ordinal);
        Assert.Empty(await _backend.ListTargetsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Create_SameTargetTwice_IsRefused()
    {
        var spec = new IscsiTargetSpec(Iqn.Parse("iqn.2024-01.net.ggnet:session.6"), _disk, Initiator, null);
        await _backend.CreateTargetAsync(spec, CancellationToken.None);

        await Assert.ThrowsAsync<IscsiBackendException>(() => _backend.CreateTargetAsync(spec, CancellationToken.None));
        Assert.Single(await _backend.ListTargetsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Create_IdTakenMeanwhileByAnotherProgram_TakesTheNextFreeOne()
    {
        await _backend.CreateTargetAsync(new IscsiTargetSpec(Iqn.Parse("iqn.2024-01.net.ggnet:session.7"), _disk, Initiator, null), CancellationToken.None);
        Assert.Single(await _backend.ListTargetsAsync(CancellationToken.None));
        var taken = (await _tgtd.TgtadmAsync("--lld", "iscsi", "--op", "new", "--mode", "target", "--tid", "2", "-T", "iqn.2024-01.org.example:someone-else")).ExitCode;
        var target = Iqn.Parse("iqn.2024-01.net.ggnet:session.8");

        await _backend.CreateTargetAsync(new IscsiTargetSpec(target, _disk, Initiator, null), CancellationToken.None);

        Assert.Equal(0, taken);
        var all = await _backend.ListTargetsAsync(CancellationToken.None);
        Assert.Equal(3, all.Count);
        Assert.Equal([_disk], all.Single(t => t.Target == target).LunPaths);
    }

    [Fact]
    public async Task Create_ManyAtOnce_EachGetsItsOwnTarget()
    {
        var targets = Enumerable.Range(20, 8).Select(i => Iqn.Parse($"iqn.2024-01.net.ggnet:session.{i}")).ToList();

        await Task.WhenAll(targets.Select(t => _backend.CreateTargetAsync(new IscsiTargetSpec(t, _disk, Initiator, null), CancellationToken.None)));

        var listed = await _backend.ListTargetsAsync(CancellationToken.None);
        Assert.Equal(targets.Select(t => t.Value).Order(), listed.Select(t => t.Target.Value).Order());
        Assert.All(listed, t => Assert.Equal([_disk], t.LunPaths));
    }

    [Fact]
    public async Task Check_RunningTgtd_IsAvailable_AndOneThatDoesNotAnswer_SaysHowToStartIt()
    {
        var running = await _backend.CheckAsync(CancellationToken.None);
        var nobody = Microsoft.Extensions.Options.Options.Create(new GGnet.Infrastructure.Iscsi.IscsiOptions
        {
            TgtControlPort = _tgtd.ControlPort + 1,
            TgtIpcSocket = Path.Combine(Path.GetTempPath(), $"ggnet-no-tgtd-{Guid.NewGuid():N}.sock"),
        });
        var silent = await new TgtBackend(new GGnet.Infrastructure.Iscsi.Tgt.Control.TgtdSocket(nobody), nobody, TimeProvider.System)
            .CheckAsync(CancellationToken.None);

        Assert.True(running.Available);
        Assert.False(silent.Available);
        Assert.Contains("systemctl start tgt", silent.Explanation, StringComparison.Ordinal);
    }

    private Task<BufferedCommandResult> InquiryAsync(string initiator, Iqn target, string credentials = "", string query = "", string host = "127.0.0.1", int lun = 1) =>
        Cli.Wrap("/usr/bin/iscsi-inq")
            .WithArguments(["-i", initiator, $"iscsi://{credentials}{host}:{_tgtd.IscsiPort}/{target}/{lun}{query}"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();

    private Task<BufferedCommandResult> CapacityAsync(Iqn target, int lun) =>
        Cli.Wrap("/usr/bin/iscsi-readcapacity16")
            .WithArguments(["-i", Initiator.Value, $"iscsi://127.0.0.1:{_tgtd.IscsiPort}/{target}/{lun}"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();

    public async Task DisposeAsync()
    {
        _backend.Dispose();
        await _tgtd.DisposeAsync();
    }
}
