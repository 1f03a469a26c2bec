using GGnet.Core.Iscsi;
using GGnet.Infrastructure.Iscsi;
using GGnet.Infrastructure.Iscsi.Tgt;
using GGnet.Infrastructure.Iscsi.Tgt.Control;
using GGnet.Tests.Support;
using Microsoft.Extensions.Options;

namespace GGnet.Tests.Infrastructure.Iscsi;

/// <summary>The tgt adapter when no tgtd answers on its socket: the error says so once, and what to check.</summary>
public sealed class TgtBackendUnreachableTests
{
    [Fact]
    public async Task NoTgtdOnTheSocket_ListingFails_WithOneSentenceThatAsksWhetherTgtdRuns()
    {
        using var folder = new TempDirectory();
        var options = Options.Create(new IscsiOptions { TgtIpcSocket = Path.Combine(folder.Path, "socket"), TgtControlPort = 7 });
        using var backend = new TgtBackend(new TgtdSocket(options), options, TimeProvider.System);

        var failed = await Assert.ThrowsAsync<IscsiBackendException>(() => backend.ListTargetsAsync(CancellationToken.None));

        Assert.StartsWith($"tgt can't list its targets: tgtd's socket {Path.Combine(folder.Path, "socket")}.7 does not answer (", failed.Message, StringComparison.Ordinal);
        Assert.EndsWith("). Is tgtd running?", failed.Message, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(failed.Message, "Is tgtd running"));
    }
}
