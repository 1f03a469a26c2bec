using System.Formats.Tar;
using System.IO.Compression;
using GGnet.Infrastructure.Backups;
using GGnet.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GGnet.Tests.Web.Security;

/// <summary>
/// network.json and mode.json in the data directory (written by the Settings page, carried in backups) set the boot
/// network and the mode, nothing else: a tampered file or backup can't set a command GGnet runs or a program path.
/// </summary>
[Collection(WebAppTests.Name)]
public sealed class DataDirectorySettingsTests
{
    private const string Tampered = """
        {
          "Network": { "ServerAddress": "10.55.0.1" },
          "Dhcp": { "RestartCommand": "touch /tmp/ggnet-pwned" },
          "Iscsi": { "TgtadmPath": "/tmp/evil-tgtadm" }
        }
        """;

    [Fact]
    public async Task AtStart_TheDataDirectoryFiles_SetOnlyTheBootNetworkAndTheMode()
    {
        await using var app = new GGnetAppFactory();
        await File.WriteAllTextAsync(Path.Combine(app.DataDirectory, "network.json"), Tampered);
        await File.WriteAllTextAsync(Path.Combine(app.DataDirectory, "mode.json"), """{ "Lab": { "Enabled": false }, "Dhcp": { "DhcpdPath": "/tmp/evil-dhcpd" } }""");

        var configuration = app.Services.GetRequiredService<IConfiguration>();

        Assert.Equal("10.55.0.1", configuration["Network:ServerAddress"]);
        Assert.NotEqual("touch /tmp/ggnet-pwned", configuration["Dhcp:RestartCommand"]);
        Assert.NotEqual("/tmp/evil-tgtadm", configuration["Iscsi:TgtadmPath"]);
        Assert.NotEqual("/tmp/evil-dhcpd", configuration["Dhcp:DhcpdPath"]);
    }

    [Fact]
    public async Task TheSwitchThatTurnsChapOn_WritesChapJson_AsTheNextStartReadsIt()
    {
        using var work = new TempDirectory();

        await new GGnet.Infrastructure.Iscsi.ChapFile(Microsoft.Extensions.Options.Options.Create(new GGnet.Infrastructure.Persistence.DatabaseOptions { DataDirectory = work.Path }))
            .SaveAsync(GGnet.Core.Iscsi.ChapPolicy.OneWay, CancellationToken.None);
        var read = GGnet.Infrastructure.Backups.DataDirectorySettings.Read(Path.Combine(work.Path, "chap.json"));

        Assert.Equal("OneWay", read["Iscsi:Chap"]);
    }

    [Fact]
    public async Task TheModeChoice_WritesModeJson_AsTheNextStartReadsIt()
    {
        using var work = new TempDirectory();

        await new GGnet.Infrastructure.Lab.ModeFile(Microsoft.Extensions.Options.Options.Create(new GGnet.Infrastructure.Persistence.DatabaseOptions { DataDirectory = work.Path }))
            .SaveAsync(labMode: false, CancellationToken.None);
        var read = GGnet.Infrastructure.Backups.DataDirectorySettings.Read(Path.Combine(work.Path, "mode.json"));

        Assert.Equal("False", read["Lab:Enabled"]);
    }

    [Fact]
    public async Task AtStart_ChapJson_SetsOnlyTheServerWideChap()
    {
        await using var app = new GGnetAppFactory();
        await File.WriteAllTextAsync(Path.Combine(app.DataDirectory, "chap.json"), """{ "Iscsi": { "Chap": "Mutual", "TgtadmPath": "/tmp/evil-tgtadm" } }""");

        var configuration = app.Services.GetRequiredService<IConfiguration>();

        Assert.Equal(GGnet.Core.Iscsi.ChapPolicy.Mutual, app.Services.GetRequiredService<GGnet.Core.Iscsi.ChapDefaults>().Policy);
        Assert.NotEqual("/tmp/evil-tgtadm", configuration["Iscsi:TgtadmPath"]);
    }

    [Fact]
    public async Task ARestore_RefusesABackupWhoseSettingsFileSetsACommand_AndRestoresNothing()
    {
        using var work = new TempDirectory();
        var staging = Directory.CreateDirectory(Path.Combine(work.Path, "staging"));
        await File.WriteAllTextAsync(Path.Combine(staging.FullName, "manifest.json"), """{ "MadeBy": "GGnet", "At": "2026-12-03T10:00:00Z", "Provider": "Sqlite" }""");
        await File.WriteAllTextAsync(Path.Combine(staging.FullName, "ggnet.db"), "");
        await File.WriteAllTextAsync(Path.Combine(staging.FullName, "network.json"), Tampered);
        var archive = Path.Combine(work.Path, "ggnet-20261203-100000-000.tar.gz");
        await using (var file = File.Create(archive))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            await TarFile.CreateFromDirectoryAsync(staging.FullName, gzip, includeBaseDirectory: false);
        }
        var target = Path.Combine(work.Path, "data");

        var refused = await Assert.ThrowsAsync<RestoreException>(() => BackupRestore.RestoreAsync(archive, target, force: false, CancellationToken.None));

        Assert.Contains("network.json sets Dhcp:RestartCommand, Iscsi:TgtadmPath", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was restored", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(target, "ggnet.db")));
        Assert.False(File.Exists(Path.Combine(target, "network.json")));
    }

    [Fact]
    public void TheAllowedKeys_AreTheNetworkInNetworkJson_AndTheModeInModeJson()
    {
        Assert.True(DataDirectorySettings.IsAllowed("network.json", "Network:BootBaseUrl"));
        Assert.False(DataDirectorySettings.IsAllowed("network.json", "Lab:Enabled"));
        Assert.True(DataDirectorySettings.IsAllowed("mode.json", "Lab:Enabled"));
        Assert.False(DataDirectorySettings.IsAllowed("mode.json", "Lab:QemuPath"));
        Assert.False(DataDirectorySettings.IsAllowed("other.json", "Network:ServerAddress"));
    }
}
