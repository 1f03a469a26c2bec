using System.Diagnostics;
using System.Text;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.Extensions.Logging;

namespace GGnet.Infrastructure.Processes;

/// <summary>The result of a program GGnet ran: its exit code and what it printed.</summary>
public sealed record CommandOutput(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>stderr, else stdout, trimmed: the text to show an admin when the program failed.</summary>
    public string Explanation => (string.IsNullOrWhiteSpace(StandardError) ? StandardOutput : StandardError).Trim();
}

/// <summary>Runs external programs through CliWrap: arguments as a list (never a shell string), output captured, every run logged.</summary>
public sealed class ExternalCommand(ILogger<ExternalCommand> logger)
{
    /// <param name="redact">An argument (like --password) whose following value must not reach the log.</param>
    /// <param name="routine">A look that runs every few seconds (tgtadm show): logged at Debug when it succeeds, so it does not drown the log.</param>
    public async Task<CommandOutput> RunAsync(
        string program,
        IReadOnlyList<string> arguments,
        CancellationToken cancellationToken,
        TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? standardInput = null,
        string? redact = null,
        bool routine = false)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout ?? TimeSpan.FromSeconds(60));
        var watch = Stopwatch.StartNew();
        try
        {
            var command = Cli.Wrap(program)
                .WithArguments(arguments)
                .WithValidation(CommandResultValidation.None);
            if (environment is not null)
            {
                command = command.WithEnvironmentVariables(environment);
            }
            if (standardInput is not null)
            {
                command = command.WithStandardInputPipe(PipeSource.FromString(standardInput));
            }
            var result = await command.ExecuteBufferedAsync(Encoding.UTF8, limit.Token);
            logger.Log(routine && result.ExitCode == 0 ? LogLevel.Debug : LogLevel.Information,
                "Ran {Program} {Arguments}: exit {ExitCode} in {Milliseconds} ms", program, Printable(arguments, redact), result.ExitCode, watch.ElapsedMilliseconds);
            return new CommandOutput(result.ExitCode, result.StandardOutput, result.StandardError);
        }
        catch (System.ComponentModel.Win32Exception missing)
        {
            logger.LogWarning("Could not start {Program}: {Reason}", program, missing.Message);
            return new CommandOutput(127, "", $"{program} could not be started ({missing.Message}). Is it installed?");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new CommandOutput(124, "", $"{program} did not finish within {(timeout ?? TimeSpan.FromSeconds(60)).TotalSeconds:0} seconds.");
        }
    }

    private static string Printable(IReadOnlyList<string> arguments, string? redact) =>
        string.Join(' ', arguments.Select((argument, i) => redact is not null && i > 0 && arguments[i - 1] == redact ? "***" : argument));

    /// <summary>Splits a configured command line like "systemctl restart isc-dhcp-server" into program and arguments, without a shell.</summary>
    public static (string Program, string[] Arguments) Split(string commandLine)
    {
        var words = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0)
        {
            throw new ArgumentException("The command is empty.", nameof(commandLine));
        }
        return (words[0], words[1..]);
    }
}
