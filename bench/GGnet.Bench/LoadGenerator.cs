using System.Globalization;
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;

namespace GGnet.Bench;

/// <summary>Debian's wrk on loopback for a bounded time: requests per second, p99 latency and answers that were not 2xx.</summary>
public static partial class LoadGenerator
{
    public sealed record Result(double RequestsPerSecond, double P99Ms, double P50Ms, long Requests, long Failures);

    public static async Task<Result> RunAsync(string url, int seconds, string? luaScript = null, int threads = 2, int connections = 64)
    {
        string[] arguments = [$"-t{threads}", $"-c{connections}", $"-d{seconds}s", "--latency", .. luaScript is null ? Array.Empty<string>() : ["-s", luaScript], url];
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 30));
        var output = (await Cli.Wrap("wrk").WithArguments(arguments).ExecuteBufferedAsync(limit.Token)).StandardOutput;
        return new Result(
            double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture),
            Latency(output, "99%"),
            Latency(output, "50%"),
            long.Parse(Requests().Match(output).Groups[1].Value, CultureInfo.InvariantCulture),
            Failures().Match(output) is { Success: true } failures ? long.Parse(failures.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
    }

    // "     99%    4.70ms" (wrk prints us, ms or s).
    private static double Latency(string output, string percentile)
    {
        var match = Regex.Match(output, $@"^\s+{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!match.Success)
        {
            throw new InvalidOperationException($"wrk printed no {percentile} latency:\n{output}");
        }
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"^Requests/sec:\s+([\d.]+)", RegexOptions.Multiline)]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"^\s+(\d+) requests in", RegexOptions.Multiline)]
    private static partial Regex Requests();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Failures();
}
