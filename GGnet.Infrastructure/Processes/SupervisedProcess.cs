using CliWrap;

namespace GGnet.Infrastructure.Processes;

/// <summary>
/// A long-running program GGnet started and owns (a daemon, a virtual PC): its output goes to a log file or to a
/// callback, line by line; <see cref="StopAsync"/> asks it to leave (SIGINT) and kills it when it does not.
/// </summary>
public sealed class SupervisedProcess : IAsyncDisposable
{
    private readonly CancellationTokenSource _graceful = new();
    private readonly CancellationTokenSource _forceful = new();
    private readonly StreamWriter? _log;
    private readonly CommandTask<CommandResult> _run;

    private SupervisedProcess(string program, IReadOnlyList<string> arguments, Action<string> output, StreamWriter? log, IReadOnlyDictionary<string, string?>? environment)
    {
        _log = log;
        var write = PipeTarget.ToDelegate(output);
        var command = Cli.Wrap(program).WithArguments(arguments).WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(write).WithStandardErrorPipe(write);
        if (environment is not null)
        {
            command = command.WithEnvironmentVariables(environment);
        }
        _run = command.ExecuteAsync(_forceful.Token, _graceful.Token);
        Exited = Observe(_run);
    }

    public int Pid => _run.ProcessId;

    /// <summary>Completes when the program has ended, however it ended.</summary>
    public Task Exited { get; }

    public bool HasExited => Exited.IsCompleted;

    /// <summary>Starts the program; a program that can't be started throws at once.</summary>
    public static SupervisedProcess Start(string program, IReadOnlyList<string> arguments, string logPath, IReadOnlyDictionary<string, string?>? environment = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        return new(program, arguments, line => { lock (log) { log.WriteLine(line); } }, log, environment);
    }

    /// <summary>Starts the program with each line it writes (output and errors) handed to <paramref name="output"/>.</summary>
    public static SupervisedProcess Start(string program, IReadOnlyList<string> arguments, Action<string> output, IReadOnlyDictionary<string, string?>? environment = null) =>
        new(program, arguments, output, null, environment);

    public async Task StopAsync(TimeSpan grace)
    {
        if (!HasExited)
        {
            _graceful.Cancel();
            await Task.WhenAny(Exited, Task.Delay(grace));
            if (!HasExited)
            {
                _forceful.Cancel();
            }
        }
        await Exited;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5));
        _graceful.Dispose();
        _forceful.Dispose();
        if (_log is not null)
        {
            lock (_log)
            {
                _log.Dispose();
            }
        }
    }

    private static async Task Observe(CommandTask<CommandResult> run)
    {
        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
            // Stopped by GGnet.
        }
    }
}
