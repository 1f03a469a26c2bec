using GGnet.Core.Domain.Images;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Iscsi.Tgt;
using GGnet.Infrastructure.Persistence;
using GGnet.Infrastructure.Tftp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Tests.Support;

/// <summary>The app with a boot network, a real private tgtd, Hangfire on SQLite, and a golden image to boot.</summary>
public class SessionAppFactory : BootAppFactory, IAsyncLifetime
{
    private TgtDaemon _tgtd = null!;

    public TgtDaemon Tgtd => _tgtd;

    public string DiskDirectory => Path.Combine(DataDirectory, "session-disks");

    public string LeasesPath => Path.Combine(DataDirectory, "dhcpd.leases");

    public FlakyIscsiBackend Iscsi => Services.GetRequiredService<FlakyIscsiBackend>();

    public FlakyBootFileStore Files => Services.GetRequiredService<FlakyBootFileStore>();

    /// <summary>How session disks are made: full copies unless a test is about another strategy.</summary>
    protected virtual string CloneStrategy => "Copy";

    public virtual async Task InitializeAsync() => _tgtd = await TgtDaemon.StartAsync();

    protected override IEnumerable<(string Key, string Value)> Settings() => base.Settings().Concat(
    [
        ("Iscsi:Backend", "Tgt"),
        ("Iscsi:TgtControlPort", _tgtd.ControlPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Iscsi:TgtIpcSocket", _tgtd.IpcSocket),
        // These tests read a PC's script from its TFTP file or as the test client, not from the PC's own address, so
        // they turn the default CHAP off; ChapTests sets it per machine, and the lab's boots run with the default.
        ("Iscsi:Chap", "Off"),
        ("Storage:DiskDirectory", DiskDirectory),
        ("Storage:CloneStrategy", CloneStrategy),
        ("Boot:ObserveMilliseconds", "300"),
        ("Boot:OfflineAfterSeconds", "2"),
        ("Dhcp:LeasesPath", LeasesPath),
        // Their images are a few marked bytes, no OS to test-boot: a commit is current at once. The lab's CandidateTests boot the real OS.
        ("TestBoot:Enabled", "false"),
    ]);

    protected override void ReplaceServices(IServiceCollection services)
    {
        services.AddSingleton(sp => new FlakyIscsiBackend(sp.GetRequiredService<TgtBackend>()));
        services.AddSingleton<IIscsiBackend>(sp => sp.GetRequiredService<FlakyIscsiBackend>());
        services.AddSingleton(sp => new FlakyBootFileStore(sp.GetRequiredService<TftpBootFileStore>()));
        services.AddSingleton<IBootFileStore>(sp => sp.GetRequiredService<FlakyBootFileStore>());
        services.AddSingleton<TftpBootFileStore>();
        // Magic packets from the host would go out on a real network: these apps record them instead (the sender
        // itself is tested inside a namespace of its own, and end to end in the lab).
        services.AddSingleton<RecordingWakeOnLan>();
        services.AddSingleton<IWakeOnLan>(sp => sp.GetRequiredService<RecordingWakeOnLan>());
    }

    /// <summary>
    /// Registers a small golden disk as a ready image (images are imported by their own feature): 4 MiB, nearly all a
    /// hole, or this many MiB of random data that a copy must write in full.
    /// </summary>
    public async Task<int> AddImageAsync(string name, int randomMebibytes = 0)
    {
        var file = Path.Combine(DataDirectory, $"{name}.img");
        var size = Math.Max(4, randomMebibytes) << 20;
        await using (var stream = File.Create(file))
        {
            stream.SetLength(size);
            var data = new byte[randomMebibytes << 20];
            Random.Shared.NextBytes(data);
            stream.Write(data);
            stream.Position = 0;
            stream.Write("GGNET-GOLDEN"u8);
        }
        await using var db = await Services.GetRequiredService<IDbContextFactory<GGnetDbContext>>().CreateDbContextAsync();
        var image = new Image(name, null, Services.GetRequiredService<GGnet.Core.Nodes.LocalNode>().Key, DateTime.UtcNow);
        db.Images.Add(image);
        await db.SaveChangesAsync();
        var version = new ImageVersion(image.Id, 1, DiskFormat.Raw, size, file, DateTime.UtcNow);
        version.MarkReady();
        db.ImageVersions.Add(version);
        await db.SaveChangesAsync();
        image.MakeCurrent(version);
        db.Images.Update(image);
        await db.SaveChangesAsync();
        return image.Id;
    }

    public new virtual async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await FuseLeftovers.StopAllAsync(DiskDirectory);
        await _tgtd.DisposeAsync();
    }
}
