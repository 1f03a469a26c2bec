using System.Globalization;
using GGnet.Core.Domain;
using GGnet.Infrastructure.Iscsi;
using GGnet.Infrastructure.Iscsi.Tgt;
using GGnet.Infrastructure.Processes;
using GGnet.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GGnet.Tests.Infrastructure.Iscsi;

/// <summary>GGnet's own tgtd (lab mode), started and stopped as a hosted service, against the real tgtd.</summary>
public sealed class OwnTgtdServiceTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly IOptions<IscsiOptions> _options;
    private readonly OwnTgtdService _service;
    private readonly TgtBackend _backend;

    public OwnTgtdServiceTests()
    {
        _options = Options.Create(new IscsiOptions
        {
            RunOwnTgtd = true,
            TgtControlPort = Random.Shared.Next(2000, 32000),
            TgtIpcSocket = Path.Combine(_directory.Path, "ipc", "tgtd.sock"),
            PortalAddress = "127.0.0.1",
        });
        _service = new OwnTgtdService(_options, new ExternalCommand(NullLogger<ExternalCommand>.Instance), NullLogger<OwnTgtdService>.Instance);
        _backend = new TgtBackend(new GGnet.Infrastructure.Iscsi.Tgt.Control.TgtdSocket(_options), _options, TimeProvider.System);
    }

    [Fact]
    public async Task OwnTgtd_StartsAnswersAndStopsEvenWithTargets()
    {
        await _service.StartAsync(CancellationToken.None);
        var available = await _backend.CheckAsync(CancellationToken.None);
        await CreateTargetAsync(1);
        await _service.StopAsync(CancellationToken.None);

        Assert.True(available.Available);
        Assert.False(_service.IsRunning);
        Assert.False((await _backend.CheckAsync(CancellationToken.None)).Available);
    }

    [Fact]
    public async Task OwnTgtd_ServesEachDiskWithItsFewIoThreads_NotTgtsSixteen()
    {
        await _service.StartAsync(CancellationToken.None);
        var tgtd = TgtdProcess(_options.Value.TgtControlPort);
        var before = Threads(tgtd);
        for (var session = 1; session <= 3; session++)
        {
            await CreateTargetAsync(session);
        }
        var after = Threads(tgtd);
        await _service.StopAsync(CancellationToken.None);

        Assert.Equal(4, _options.Value.TgtIoThreads);
        Assert.Equal(3 * 4, after - before);
    }

    private async Task CreateTargetAsync(int session)
    {
        var disk = Path.Combine(_directory.Path, $"d{session}.img");
        await File.WriteAllBytesAsync(disk, new byte[1 << 20]);
        await _backend.CreateTargetAsync(new(Iqn.Parse($"iqn.2024-01.net.ggnet:session.{session}"), disk, Iqn.Parse("iqn.2024-01.net.ggnet:initiator.x"), null),
            CancellationToken.None);
    }

    // The tgtd listening on this control port, found by its command line.
    private static int TgtdProcess(int controlPort)
    {
        var wanted = $"\0-C\0{controlPort.ToString(CultureInfo.InvariantCulture)}\0";
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), out var pid) && TryRead(Path.Combine(folder, "cmdline")) is { } command
                && command.StartsWith("/usr/sbin/tgtd\0", StringComparison.Ordinal) && command.Contains(wanted, StringComparison.Ordinal))
            {
                return pid;
            }
        }
        throw new InvalidOperationException($"No tgtd with control port {controlPort} runs.");
    }

    private static int Threads(int pid) =>
        int.Parse(File.ReadLines($"/proc/{pid}/status").Single(line => line.StartsWith("Threads:", StringComparison.Ordinal))["Threads:".Length..].Trim(),
            CultureInfo.InvariantCulture);

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _backend.Dispose();
        await _service.DisposeAsync();
        _directory.Dispose();
    }
}
