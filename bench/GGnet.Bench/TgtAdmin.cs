using CliWrap;
using CliWrap.Buffered;

namespace GGnet.Bench;

/// <summary>tgtadm for a tgtd of the benchmark's own: its control port and IPC socket, each call a process.</summary>
public sealed class TgtAdmin(string controlPort, string ipcSocket)
{
    private readonly Dictionary<string, string?> _environment = new() { ["TGT_IPC_SOCKET"] = ipcSocket };

    public string ControlPort => controlPort;

    /// <summary>The environment tgtd itself needs to listen on that IPC socket.</summary>
    public IReadOnlyDictionary<string, string?> Environment => _environment;

    public Task<BufferedCommandResult> RunAsync(string[] arguments) =>
        Cli.Wrap("/usr/sbin/tgtadm").WithArguments(["-C", controlPort, .. arguments]).WithEnvironmentVariables(_environment)
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();

    public async Task RequireAsync(string[] arguments)
    {
        var result = await RunAsync(arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"tgtadm {string.Join(' ', arguments)}: {result.StandardError}");
        }
    }

    /// <summary>Waits (up to 10 s) until tgtd answers.</summary>
    public async Task WaitUntilUpAsync()
    {
        for (var attempt = 0; attempt < 100 && (await RunAsync(["--op", "show", "--mode", "target"])).ExitCode != 0; attempt++)
        {
            await Task.Delay(100);
        }
    }
}
