using GGnet.Web.Composition;
using GGnet.Web.Https;

if (args is [RestoreCommand.Verb, .. var restoreArgs])
{
    // With GGnet stopped: the same configuration tells where the data directory is.
    var settings = WebApplication.CreateBuilder();
    settings.AddGGnetConfiguration();
    return await RestoreCommand.RunAsync(restoreArgs, settings.Configuration);
}

if (args is [RootHelperCommand.Verb])
{
    return await RootHelperCommand.RunAsync();
}

if (args is [ResetAdminPasswordCommand.Verb])
{
    // With GGnet running or not: the same configuration tells where the accounts are.
    var resetting = WebApplication.CreateBuilder();
    resetting.AddGGnetConfiguration();
    resetting.Logging.SetMinimumLevel(LogLevel.Warning);
    resetting.AddGGnetServices();
    await using var reset = resetting.Build();
    return await ResetAdminPasswordCommand.RunAsync(reset);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddGGnetConfiguration();
if (SettingsCheck.Problems(builder.Configuration) is { Count: > 0 } wrongSettings)
{
    foreach (var problem in wrongSettings)
    {
        await Console.Error.WriteLineAsync($"GGnet can't start: {problem}");
    }
    return 1;
}
builder.AddGGnetLogging();
builder.AddGGnetServices();
try
{
    builder.AddGGnetHttps();
}
catch (InvalidOperationException problem) when (problem.Message.StartsWith("GGnet can't start", StringComparison.Ordinal))
{
    await Console.Error.WriteLineAsync(problem.Message);
    return 1;
}

var app = builder.Build();

try
{
    // Before the pipeline: mapping the job dashboard already opens the job storage (the database).
    await app.PrepareGGnetAsync();
}
catch (StartupException problem)
{
    // One clear line per problem, no stack trace: the operator fixes the settings and starts again.
    foreach (var line in problem.Message.Split('\n'))
    {
        await Console.Error.WriteLineAsync($"GGnet can't start: {line}");
    }
    return 1;
}

app.UseGGnetPipeline();
await app.RunAsync();
return 0;

/// <summary>Lets the test host find the app's entry point.</summary>
public partial class Program;
