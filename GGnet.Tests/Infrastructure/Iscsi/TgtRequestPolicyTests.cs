using GGnet.Core.Domain;
using GGnet.Infrastructure.Iscsi.Tgt.Control;
using GGnet.Infrastructure.RootHelper;

namespace GGnet.Tests.Infrastructure.Iscsi;

/// <summary>
/// What GGnet's root helper lets through to tgtd (the logic, with a listing and files of the test's making; the real
/// helper, tgtd and user are in RootHelperTests).
/// </summary>
public sealed class TgtRequestPolicyTests
{
    private const string Disks = "/var/lib/ggnet/disks";
    private const string Imports = "/var/lib/ggnet/import";
    private const int ServiceUid = 998;
    private static readonly HelperPeer Service = new(1234, ServiceUid, ServiceUid);

    // Target 1 is GGnet's and admits nobody yet; target 2 is GGnet's and admits a PC; target 3 is someone else's.
    private const string Listing = """
        Target 1: iqn.2024-01.net.ggnet:session.1
            System information:
                Driver: iscsi
            ACL information:
        Target 2: iqn.2024-01.net.ggnet:session.2
            System information:
                Driver: iscsi
            Account information:
                pc-02
            ACL information:
                10.99.0.12
        Target 3: iqn.2003-01.org.example:backup
            System information:
                Driver: iscsi
            Account information:
                backup-user
            ACL information:
                ALL
        """;

    private readonly FakeFiles _files = new();

    private TgtRequestPolicy Policy() =>
        new(new TgtHelperLimits(Iqn.Parse("iqn.2024-01.net.ggnet"), Disks, Imports), new ListingOnly(Listing), _files);

    public static TheoryData<string, TgtRequest> GGnetsOwnOperations => new()
    {
        { "list targets", new TgtRequest(TgtMode.Target, TgtOperation.Show) },
        { "list portals", new TgtRequest(TgtMode.Portal, TgtOperation.Show) },
        { "new target", new TgtRequest(TgtMode.Target, TgtOperation.New) { Tid = 4, TargetName = "iqn.2024-01.net.ggnet:session.4" } },
        { "attach a disk", new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 1, Lun = 1, BackingStore = $"{Disks}/session-1.img" } },
        { "attach an installer ISO", new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 1, Lun = 2, BackingStore = $"{Imports}/win11.iso", DeviceType = TgtDeviceType.Cd } },
        { "a test boot's target", new TgtRequest(TgtMode.Target, TgtOperation.New) { Tid = 5, TargetName = "iqn.2024-01.net.ggnet:trial.12" } },
        { "attach a test boot's disk", new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 1, Lun = 1, BackingStore = $"{Disks}/trial-12.img" } },
        { "attach a data disk", new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 1, Lun = 2, BackingStore = $"{Disks}/session-1-data-1.img" } },
        { "attach the eighth data disk", new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 1, Lun = 9, BackingStore = $"{Disks}/session-1-data-8.img" } },
        { "admit an address", new TgtRequest(TgtMode.Target, TgtOperation.Bind) { Tid = 1, InitiatorAddress = "10.99.0.11" } },
        { "admit a name", new TgtRequest(TgtMode.Target, TgtOperation.Bind) { Tid = 1, InitiatorName = "iqn.2024-01.net.ggnet:initiator.525400000001" } },
        { "stop admitting", new TgtRequest(TgtMode.Target, TgtOperation.Unbind) { Tid = 2, InitiatorAddress = "10.99.0.12" } },
        { "new account", new TgtRequest(TgtMode.Account, TgtOperation.New) { User = "pc-01", Password = "Abc123def456ghi7" } },
        { "bind account", new TgtRequest(TgtMode.Account, TgtOperation.Bind) { Tid = 1, User = "pc-01" } },
        { "bind mutual account", new TgtRequest(TgtMode.Account, TgtOperation.Bind) { Tid = 1, User = "pc-01-target", Outgoing = true } },
        { "delete account", new TgtRequest(TgtMode.Account, TgtOperation.Delete) { User = "pc-02" } },
        { "delete target", new TgtRequest(TgtMode.Target, TgtOperation.Delete) { Tid = 2, Force = true } },
        { "list connections", new TgtRequest(TgtMode.Connection, TgtOperation.Show) { Tid = 2 } },
        { "drop a connection", new TgtRequest(TgtMode.Connection, TgtOperation.Delete) { Tid = 2, Sid = 5, Cid = 0 } },
        { "listen on an address", new TgtRequest(TgtMode.Portal, TgtOperation.New) { Portal = "10.99.0.1:3260" } },
        { "stop listening", new TgtRequest(TgtMode.Portal, TgtOperation.Delete) { Portal = "0.0.0.0:3260" } },
    };

    [Theory]
    [MemberData(nameof(GGnetsOwnOperations))]
    public async Task GGnetsOwnOperations_PassToTgtd(string what, TgtRequest request)
    {
        _files.Add($"{Disks}/session-1.img", new FileFacts(ServiceUid, "regular file"));
        _files.Add($"{Disks}/session-1-data-1.img", new FileFacts(ServiceUid, "regular file"));
        _files.Add($"{Disks}/trial-12.img", new FileFacts(ServiceUid, "regular file"));
        _files.Add($"{Disks}/session-1-data-8.img", new FileFacts(ServiceUid, "regular file"));
        _files.Add($"{Imports}/win11.iso", new FileFacts(ServiceUid, "regular file"));

        Assert.True(await Policy().RefusalAsync(request, Service, CancellationToken.None) is null, what);
    }

    public static TheoryData<string, TgtRequest, string> Attempts => new()
    {
        { "a target under another name", new TgtRequest(TgtMode.Target, TgtOperation.New) { Tid = 9, TargetName = "iqn.2003-01.org.evil:disk" }, "must start with iqn.2024-01.net.ggnet:session. (or :trial. for a test boot)" },
        { "a test-boot disk of another name", new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 1, Lun = 1, BackingStore = $"{Disks}/trial-x.img" }, "only session disks" },
        { "/etc/shadow as a disk", new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 1, Lun = 1, BackingStore = "/etc/shadow" }, "only session disks" },
        { "a path that climbs out", new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 1, Lun = 1, BackingStore = $"{Disks}/../../../../etc/session-1.img" }, "only session disks" },
        { "a second parameter smuggled in", new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 1, Lun = 1, BackingStore = $"{Disks}/session-1.img,bstype=sg" }, "holds ',', '='" },
        { "a disk as a CD-ROM", new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 1, Lun = 1, BackingStore = $"{Disks}/session-1.img", DeviceType = TgtDeviceType.Cd }, "an installer ISO as LUN 2 only" },
        { "an ISO as a writable disk", new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 1, Lun = 2, BackingStore = $"{Imports}/win11.iso" }, "only session disks" },
        { "a data disk past the eighth", new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 1, Lun = 10, BackingStore = $"{Disks}/session-1-data-9.img" }, "as LUNs 1 to 9" },
        { "a data disk of another name", new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 1, Lun = 3, BackingStore = $"{Disks}/games.img" }, "only session disks" },
        { "/etc/shadow as a CD-ROM", new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 1, Lun = 2, BackingStore = "/etc/shadow", DeviceType = TgtDeviceType.Cd }, "only installer ISOs" },
        { "a session disk as a CD-ROM", new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 1, Lun = 2, BackingStore = $"{Disks}/session-1.img", DeviceType = TgtDeviceType.Cd }, "only installer ISOs" },
        { "an ISO below the import folder", new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 1, Lun = 2, BackingStore = $"{Imports}/old/win11.iso", DeviceType = TgtDeviceType.Cd }, "only installer ISOs" },
        { "an ISO on a target that admits someone", new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 2, Lun = 2, BackingStore = $"{Imports}/win11.iso", DeviceType = TgtDeviceType.Cd }, "admits nobody yet" },
        { "a CD-ROM on LUN 3", new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 1, Lun = 3, BackingStore = $"{Imports}/win11.iso", DeviceType = TgtDeviceType.Cd }, "as LUN 2 only" },
        { "a disk on LUN 0", new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 1, Lun = 0, BackingStore = $"{Disks}/session-1.img" }, "as LUNs 1 to 9 and an installer ISO as LUN 2 only" },
        { "a disk on a target that admits someone", new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 2, Lun = 1, BackingStore = $"{Disks}/session-1.img" }, "admits nobody yet" },
        { "a disk on someone else's target", new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 3, Lun = 1, BackingStore = $"{Disks}/session-1.img" }, "not one of GGnet's" },
        { "everyone admitted by address", new TgtRequest(TgtMode.Target, TgtOperation.Bind) { Tid = 1, InitiatorAddress = "ALL" }, "never ALL" },
        { "everyone admitted by name", new TgtRequest(TgtMode.Target, TgtOperation.Bind) { Tid = 1, InitiatorName = "ALL" }, "never ALL" },
        { "a whole subnet admitted", new TgtRequest(TgtMode.Target, TgtOperation.Bind) { Tid = 1, InitiatorAddress = "10.99.0.0/24" }, "never ALL" },
        { "someone else's target admitting", new TgtRequest(TgtMode.Target, TgtOperation.Bind) { Tid = 3, InitiatorAddress = "10.99.0.50" }, "not one of GGnet's" },
        { "someone else's target deleted", new TgtRequest(TgtMode.Target, TgtOperation.Delete) { Tid = 3, Force = true }, "not one of GGnet's" },
        { "someone else's account deleted", new TgtRequest(TgtMode.Account, TgtOperation.Delete) { User = "backup-user" }, "not GGnet's" },
        { "an account bound to every target", new TgtRequest(TgtMode.Account, TgtOperation.Bind) { User = "pc-01" }, "one target by its id" },
        { "tgtd stopped", new TgtRequest(TgtMode.System, TgtOperation.Delete), "never asks tgtd to delete in system mode" },
        { "a target's settings changed", new TgtRequest(TgtMode.Target, TgtOperation.Update) { Tid = 1 }, "never asks tgtd to update" },
        { "a disk removed from under a PC", new TgtRequest(TgtMode.LogicalUnit, TgtOperation.Delete) { Tid = 2, Lun = 1 }, "never asks tgtd to delete in logicalunit mode" },
        { "a portal that is no address", new TgtRequest(TgtMode.Portal, TgtOperation.New) { Portal = "evil" }, "address and a port" },
    };

    [Theory]
    [MemberData(nameof(Attempts))]
    public async Task EveryOtherRequest_IsRefused_WithItsReason(string what, TgtRequest request, string reason)
    {
        _files.Add($"{Disks}/session-1.img", new FileFacts(ServiceUid, "regular file"));

        var refusal = await Policy().RefusalAsync(request, Service, CancellationToken.None);

        Assert.True(refusal is not null, what);
        Assert.Contains(reason, refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("symbolic link", ServiceUid, "is a symbolic link")]
    [InlineData("block special file", 0, "is a block special file")]
    [InlineData("regular file", 0, "does not belong to the user asking")]
    public async Task ADiskThatIsALinkADeviceOrAnothersFile_IsRefused(string kind, int owner, string reason)
    {
        _files.Add($"{Disks}/session-1.img", new FileFacts(owner, kind));

        var refusal = await Policy().RefusalAsync(
            new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 1, Lun = 1, BackingStore = $"{Disks}/session-1.img" }, Service, CancellationToken.None);

        Assert.Contains(reason, refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("symbolic link", ServiceUid, false, "is a symbolic link")]
    [InlineData("block special file", 0, true, "is a block special file")]
    [InlineData("regular file", 0, false, "neither the asking user's nor readable by everyone")]
    public async Task AnIsoThatIsALinkADeviceOrAnothersPrivateFile_IsRefused(string kind, int owner, bool othersMayRead, string reason)
    {
        _files.Add($"{Imports}/win11.iso", new FileFacts(owner, kind, othersMayRead));

        var refusal = await Policy().RefusalAsync(AttachIso(), Service, CancellationToken.None);

        Assert.Contains(reason, refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnIsoAnAdminCopiedIn_ReadableByEveryone_IsAttached()
    {
        _files.Add($"{Imports}/win11.iso", new FileFacts(0, "regular file", OthersMayRead: true));

        Assert.Null(await Policy().RefusalAsync(AttachIso(), Service, CancellationToken.None));
    }

    [Fact]
    public async Task AnImportFolderReachedThroughALink_IsRefused()
    {
        _files.Add($"{Imports}/win11.iso", new FileFacts(ServiceUid, "regular file"));
        _files.RealImports = "/etc";

        Assert.Contains("reached through a link", await Policy().RefusalAsync(AttachIso(), Service, CancellationToken.None), StringComparison.Ordinal);
    }

    private static TgtRequest AttachIso() =>
        new(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 1, Lun = 2, BackingStore = $"{Imports}/win11.iso", DeviceType = TgtDeviceType.Cd };

    [Fact]
    public async Task ADiskFolderReachedThroughALink_IsRefused()
    {
        _files.Add($"{Disks}/session-1.img", new FileFacts(ServiceUid, "regular file"));
        _files.RealFolder = "/etc";

        var refusal = await Policy().RefusalAsync(
            new TgtRequest(TgtMode.LogicalUnit, TgtOperation.New) { Tid = 1, Lun = 1, BackingStore = $"{Disks}/session-1.img" }, Service, CancellationToken.None);

        Assert.Contains("reached through a link", refusal, StringComparison.Ordinal);
    }

    private sealed class ListingOnly(string listing) : ITgtControl
    {
        public Task<TgtReply> SendAsync(TgtRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(request is { Mode: TgtMode.Target, Operation: TgtOperation.Show } ? new TgtReply(TgtStatus.Success, listing) : new TgtReply(TgtStatus.InvalidRequest, ""));
    }

    private sealed class FakeFiles : IHelperFiles
    {
        private readonly Dictionary<string, FileFacts> _facts = new(StringComparer.Ordinal);

        public string? RealFolder { get; set; } = Disks;

        public string? RealImports { get; set; } = Imports;

        public void Add(string path, FileFacts facts) => _facts[path] = facts;

        public Task<FileFacts?> FactsAsync(string path, CancellationToken cancellationToken) => Task.FromResult(_facts.GetValueOrDefault(path));

        public Task<string?> RealPathAsync(string path, CancellationToken cancellationToken) => Task.FromResult(path switch
        {
            Disks => RealFolder,
            Imports => RealImports,
            _ => path,
        });

        public IReadOnlyDictionary<string, string> OpenFiles(int pid) => new Dictionary<string, string>();
    }
}
