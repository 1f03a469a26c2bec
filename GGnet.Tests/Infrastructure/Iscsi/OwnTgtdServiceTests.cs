using GGnet.Infrastructure.Iscsi;
using GGnet.Infrastructure.Iscsi.Tgt;
using GGnet.Infrastructure.Processes;
using GGnet.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GGnet.Tests.Infrastructure.Iscsi;

public sealed class OwnTgtdServiceTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task OwnTgtd_StartsAnswersAndStopsEvenWithTargets()
    {
        var options = Options.Create(new IscsiOptions
        {
            RunOwnTgtd = true,
            TgtControlPort = Random.Shared.Next(2000, 32000),
            TgtIpcSocket = Path.Combine(_directory.Path, "ipc", "tgtd.sock"),
            PortalAddress = "127.0.0.1",
        });
        var commands = new ExternalCommand(NullLogger<ExternalCommand>.Instance);
        using var service = new OwnTgtdService(options, commands, NullLogger<OwnTgtdService>.Instance);
        using var backend = new TgtBackend(new GGnet.Infrastructure.Iscsi.Tgt.Control.TgtdSocket(options), options, TimeProvider.System);
        var disk = Path.Combine(_directory.Path, "d.img");
        await File.WriteAllBytesAsync(disk, new byte[1 << 20]);

        await service.StartAsync(CancellationToken.None);
        var available = await backend.CheckAsync(CancellationToken.None);
        await backend.CreateTargetAsync(new(GGnet.Core.Domain.Iqn.Parse("iqn.2024-01.net.ggnet:session.1"), disk, GGnet.Core.Domain.Iqn.Parse("iqn.2024-01.net.ggnet:initiator.x"), null), CancellationToken.None);
        await service.StopAsync(CancellationToken.None);

        Assert.True(available.Available);
        Assert.False(service.IsRunning);
        Assert.False((await backend.CheckAsync(CancellationToken.None)).Available);
    }

    public void Dispose() => _directory.Dispose();
}
