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
    public async Task<CommandOutput> RunAsync(
        string program,
        IReadOnlyList<string> arguments,
        CancellationToken cancellationToken,
        TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? standardInput = null)
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
            logger.LogInformation("Ran {Program} {Arguments}: exit {ExitCode} in {Milliseconds} ms", program, string.Join(' ', arguments), result.ExitCode, watch.ElapsedMilliseconds);
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
