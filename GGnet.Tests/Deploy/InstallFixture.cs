using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;
using GGnet.Tests.Support;

namespace GGnet.Tests.Deploy;

/// <summary>
/// GGnet published once for the deploy tests (from the build the tests run on, so nothing compiles twice), and a
/// system user of the test's own standing in for <c>ggnet</c>: install.sh --root creates no user, but owns files by one that exists.
/// </summary>
public sealed class InstallFixture : IAsyncLifetime
{
    public const string User = "ggnet-deploytest";

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private readonly TempDirectory _folder = new();
    private bool _createdUser;

    public string Repository { get; } = Artifacts.RepositoryRoot();

    public string Published => Path.Combine(_folder.Path, "publish");

    public async Task InitializeAsync()
    {
        await Run("dotnet", ["publish", Path.Combine(Repository, "GGnet.Web", "GGnet.Web.csproj"), "-c", Configuration, "--no-build", "-o", Published, "--nologo", "-v", "quiet"]);
        if (!(await Cli.Wrap("id").WithArguments(["-u", User]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync()).IsSuccess)
        {
            await Run("useradd", ["--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", User]);
            _createdUser = true;
        }
    }

    /// <summary>A fresh tree laid out by install.sh --root, readable by the test's service user like / is.</summary>
    public async Task<string> InstallAsync(string root, params string[] more)
    {
        File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101);
        await Run("bash", [Path.Combine(Repository, "deploy", "install.sh"), "--root", root, "--from", Published, "--user", User, .. more]);
        return root;
    }

    /// <summary>install.sh --root on the tree with more options, its answer kept whether it succeeded or not.</summary>
    public Task<BufferedCommandResult> TryInstallAsync(string root, params string[] more) =>
        Run("bash", [Path.Combine(Repository, "deploy", "install.sh"), "--root", root, "--from", Published, "--user", User, .. more], check: false);

    /// <summary><c>systemd-analyze verify</c> of a unit laid out under the root, beside the system's own units (targets, tgt, tftpd-hpa) as on a real root.</summary>
    public static async Task<BufferedCommandResult> VerifyUnitAsync(string root, string unit)
    {
        await Run("mkdir", ["-p", $"{root}/usr/lib/systemd"]);
        await Run("cp", ["-a", "/usr/lib/systemd/system", $"{root}/usr/lib/systemd/"]);
        return await Run("systemd-analyze", ["verify", $"--root={root}", unit], check: false);
    }

    public Task<BufferedCommandResult> UninstallAsync(string root, params string[] more) =>
        Run("bash", [Path.Combine(Repository, "deploy", "uninstall.sh"), "--root", root, "--user", User, .. more], check: false);

    public static async Task<BufferedCommandResult> Run(string program, IReadOnlyList<string> arguments, bool check = true)
    {
        var result = await Cli.Wrap(program).WithArguments(arguments).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        if (check && !result.IsSuccess)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.StandardError}{result.StandardOutput}");
        }
        return result;
    }

    /// <summary>"mode owner:group" of a file, as stat prints them (e.g. "640 root:ggnet").</summary>
    public static async Task<string> ModeAndOwner(string path) => (await Run("stat", ["-c", "%a %U:%G", path])).StandardOutput.Trim();

    public async Task DisposeAsync()
    {
        if (_createdUser)
        {
            await Run("userdel", [User], check: false);
        }
        _folder.Dispose();
        await Task.CompletedTask;
    }

    /// <summary>Starts an installed program with its output read and dropped, so a full pipe never blocks it.</summary>
    internal static Process StartDrained(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    internal static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            await Run("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], check: false);
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
            }
        }
    }
}

/// <summary>The deploy tests share one published app and one test user, and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class DeployTests : ICollectionFixture<InstallFixture>
{
    public const string Name = "Deploy";
}
