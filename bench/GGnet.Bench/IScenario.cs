namespace GGnet.Bench;

/// <summary>One benchmark: sets up what it needs, measures, cleans up after itself.</summary>
public interface IScenario
{
    string Name { get; }

    Task<ScenarioResult> RunAsync(string machine);
}
