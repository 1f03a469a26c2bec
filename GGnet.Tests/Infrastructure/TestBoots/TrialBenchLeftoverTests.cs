using System.Diagnostics;
using GGnet.Infrastructure.TestBoots;
using GGnet.Tests.Support;

namespace GGnet.Tests.Infrastructure.TestBoots;

/// <summary>A bench PC left running by a GGnet killed without warning is ended by the next test boot; a stranger's process is not.</summary>
public sealed class TrialBenchLeftoverTests : IDisposable
{
    private readonly TempDirectory _root = new();

    [Fact]
    public void ALeftoverNamingItsRunFolder_IsEnded_AProcessThatDoesNot_IsLeftAlone()
    {
        var ours = Start(Path.Combine(_root.Path, "version-7"), names: true);
        var stranger = Start(Path.Combine(_root.Path, "version-8"), names: false);
        try
        {
            QemuTrialBench.StopLeftovers(_root.Path);

            Assert.True(ours.WaitForExit(10_000), "the leftover bench PC still runs");
            Assert.False(stranger.HasExited, "a process that is not the run's was ended");
            Assert.False(File.Exists(Path.Combine(_root.Path, "version-7", "qemu.pid")));
        }
        finally
        {
            foreach (var process in new[] { ours, stranger }.Where(p => !p.HasExited))
            {
                process.Kill();
            }
            ours.Dispose();
            stranger.Dispose();
        }
    }

    public void Dispose() => _root.Dispose();

    // A long sleep whose command line names the run's folder (as the bench's QEMU does) or not, its pid in the folder's qemu.pid.
    private static Process Start(string folder, bool names)
    {
        Directory.CreateDirectory(folder);
        var start = new ProcessStartInfo("sh") { ArgumentList = { "-c", "sleep 300", names ? Path.Combine(folder, "console.log") : "sleeper" } };
        var process = Process.Start(start)!;
        File.WriteAllText(Path.Combine(folder, "qemu.pid"), process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
        return process;
    }
}
