using System.Globalization;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;

namespace GGnet.Bench;

/// <summary>
/// Hangfire's own record of each finished job, read from GGnet's job store (hangfire.db) with the sqlite3 tool: when it
/// was created, how long it waited for a worker (Latency: created → a worker starts it) and how long it ran
/// (PerformanceDuration: the job's method, i.e. GGnet's provisioning or teardown work). Both are Hangfire's, in ms.
/// </summary>
public static class JobRecords
{
    /// <summary>A job of one session, or of a bulk start's sessions (<c>ProvisionAllAsync</c>).</summary>
    public sealed record Job(string Method, IReadOnlyList<int> Sessions, double LatencyMs, double DurationMs)
    {
        public int SessionId => Sessions[0];
    }

    public static async Task<IReadOnlyList<Job>> ReadAsync(string dataDirectory)
    {
        const string Query = """
            select j.InvocationData as invocation, j.Arguments as arguments, s.Data as data
            from State s join Job j on j.Id = s.JobId where s.Name = 'Succeeded';
            """;
        var result = await Cli.Wrap("sqlite3")
            .WithArguments(["-readonly", "-json", "-cmd", ".timeout 5000", Path.Combine(dataDirectory, "hangfire.db"), Query])
            .ExecuteBufferedAsync();
        if (string.IsNullOrWhiteSpace(result.StandardOutput))
        {
            return [];
        }
        var jobs = new List<Job>();
        foreach (var row in JsonDocument.Parse(result.StandardOutput).RootElement.EnumerateArray())
        {
            var method = JsonDocument.Parse(row.GetProperty("invocation").GetString()!).RootElement.GetProperty("Method").GetString()!;
            var arguments = JsonDocument.Parse(row.GetProperty("arguments").GetString()!).RootElement;
            var data = JsonDocument.Parse(row.GetProperty("data").GetString()!).RootElement;
            if (arguments.GetArrayLength() == 0 || SessionsOf(arguments[0].GetString()) is not { Length: > 0 } sessions)
            {
                continue;
            }
            jobs.Add(new Job(method, sessions, Number(data, "Latency"), Number(data, "PerformanceDuration")));
        }
        return jobs;
    }

    /// <summary>The jobs of the bulk starts that made these sessions.</summary>
    public static List<Job> BulkStartsOf(IEnumerable<Job> jobs, IReadOnlySet<int> sessions) =>
        [.. jobs.Where(j => j.Method == "ProvisionAllAsync" && j.Sessions.Any(sessions.Contains))];

    // A session id ("12"), or a bulk start's ids ("[12,13]").
    private static int[]? SessionsOf(string? argument) =>
        argument is null ? null
        : argument.StartsWith('[') ? JsonSerializer.Deserialize<int[]>(argument)
        : int.TryParse(argument, NumberStyles.Integer, CultureInfo.InvariantCulture, out var sessionId) ? [sessionId] : null;

    private static double Number(JsonElement data, string name) =>
        double.Parse(data.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);
}
