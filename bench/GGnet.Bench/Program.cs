using System.Globalization;
using GGnet.Bench;

// Usage: GGnet.Bench --app DIR --results DIR --doc FILE [scenario ...]   (bench/run passes these)
var options = new Dictionary<string, string>();
var wanted = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
    {
        options[args[i][2..]] = args[++i];
    }
    else
    {
        wanted.Add(args[i]);
    }
}
if (!options.TryGetValue("app", out var app) || !options.TryGetValue("results", out var results) || !options.TryGetValue("doc", out var doc))
{
    Console.Error.WriteLine("Usage: GGnet.Bench --app DIR --results DIR --doc FILE [scenario ...]");
    return 2;
}

// GGnet runs from its own folder: a relative --app would not be found from there.
app = Path.GetFullPath(app);

// "doc": only write the doc again from the results there are (after editing the writer), measuring nothing.
if (wanted.SequenceEqual(["doc"]))
{
    await Report.WriteDocAsync(results, doc);
    Console.WriteLine($"Table in {doc}, from {results}.");
    return 0;
}

IScenario[] scenarios = [new DashboardScenario(app), new DhcpScenario(app), new IdleScenario(app), new SessionScenario(app), new StormScenario(app), new ScriptScenario(app), new RealOsScenario(app), new DataPlaneScenario()];
var unknown = wanted.Except(scenarios.Select(s => s.Name)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"No scenario named {string.Join(", ", unknown)}. Scenarios: {string.Join(", ", scenarios.Select(s => s.Name))}.");
    return 2;
}

var machine = MachineDescription();
foreach (var scenario in scenarios.Where(s => wanted.Count == 0 || wanted.Contains(s.Name)))
{
    Console.WriteLine($"== {scenario.Name}");
    var result = await scenario.RunAsync(machine);
    foreach (var measure in result.Measures)
    {
        var goal = measure.Met is { } met ? (met ? "  (goal met)" : "  (goal MISSED)") : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {measure.Name}: {measure.Value:0.##} {measure.Unit}{goal}"));
    }
    await Report.SaveAsync(result, results);
}
await Report.WriteDocAsync(results, doc);
Console.WriteLine($"Results in {results}, table in {doc}.");
return 0;

// "2 cores (Intel Xeon …), 24 GiB, Linux 6.1": what the figures were measured on.
static string MachineDescription()
{
    var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
    var memKb = double.Parse(File.ReadLines("/proc/meminfo").First().Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    var kernel = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
    return string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores ({cpu}), {memKb / 1024 / 1024:0} GiB, Linux {kernel}");
}
