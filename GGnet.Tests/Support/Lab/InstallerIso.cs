using GGnet.Infrastructure.Lab;
using GGnet.Infrastructure.Processes;
using Microsoft.Extensions.Logging.Abstractions;

namespace GGnet.Tests.Support.Lab;

/// <summary>
/// A small bootable installer ISO (Support/Lab/build-installer-iso.sh): Linux from the lab's real-OS root filesystem,
/// whose initramfs logs in to the iSCSI disk iPXE hooked, writes a tiny system and a marker onto it, and powers off.
/// </summary>
public static class InstallerIso
{
    public const string DoneMarker = "GGNET-INSTALLER-DONE marker=";

    /// <summary>What the installed system prints when it boots from its disk, then the installer's marker.</summary>
    public const string InstalledMarker = "GGNET-INSTALLED marker=";

    private static readonly SemaphoreSlim RootFsGate = new(1, 1);

    /// <summary>The marker the installer printed after <see cref="DoneMarker"/> on this console (fails the test when there is none).</summary>
    public static string MarkerOn(string console)
    {
        var at = console.IndexOf(DoneMarker, StringComparison.Ordinal);
        var marker = at < 0 ? "" : new string(console[(at + DoneMarker.Length)..].TakeWhile(c => char.IsAsciiHexDigitLower(c) || c == '-').ToArray());
        Assert.True(marker.Length == 36, "no installer marker on the console:\n" + console);
        return marker;
    }

    /// <summary>Builds the ISO at <paramref name="path"/>; the real-OS root filesystem is built first when its cache has none.</summary>
    public static async Task BuildAsync(string path)
    {
        var commands = new ExternalCommand(NullLogger<ExternalCommand>.Instance);
        var rootfs = await RootFileSystemAsync(commands);
        var script = Path.Combine(AppContext.BaseDirectory, "Support", "Lab", "build-installer-iso.sh");
        var built = await commands.RunAsync("bash", [script, "--rootfs", rootfs, "--out", path], CancellationToken.None, TimeSpan.FromMinutes(2));
        Assert.True(built.Succeeded, "build-installer-iso.sh: " + built.Explanation);
    }

    // The newest cached root filesystem of the lab's real OS; built (as GGnet builds it at the real OS's first use) when missing.
    private static async Task<string> RootFileSystemAsync(ExternalCommand commands)
    {
        var cache = new LabOptions().RealOsCacheDirectory;
        await RootFsGate.WaitAsync();
        try
        {
            if (Cached(cache) is { } found)
            {
                return found;
            }
            using var scratch = new TempDirectory();
            var built = await commands.RunAsync("bash", [RealOsImage.BuildScript, "--cache", cache, "--out", Path.Combine(scratch.Path, "realos.img")],
                CancellationToken.None, TimeSpan.FromMinutes(20));
            Assert.True(built.Succeeded, "build-realos-image.sh: " + built.Explanation);
            return Cached(cache) ?? throw new InvalidOperationException($"build-realos-image.sh left no root filesystem in {cache}");
        }
        finally
        {
            RootFsGate.Release();
        }
    }

    private static string? Cached(string cache) =>
        Directory.Exists(cache) ? Directory.EnumerateFiles(cache, "rootfs-*.tar").Order(StringComparer.Ordinal).LastOrDefault() : null;
}
