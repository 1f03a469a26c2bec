namespace GGnet.Bench;

/// <summary>One figure a scenario measured, with the goal it is held against (when it has one).</summary>
public sealed record Measure(string Name, double Value, string Unit, double? Goal = null, bool LowerIsBetter = true, string? Note = null)
{
    public bool? Met => Goal is { } goal ? (LowerIsBetter ? Value <= goal : Value >= goal) : null;

    /// <summary>The median of several rounds, their spread ("236–255 MB/s", each figure in <paramref name="format"/>) as its note.</summary>
    public static Measure OfRounds(string name, IReadOnlyList<double> rounds, string unit, string format, double? goal = null) =>
        new(name, Percentiles.Of(rounds, 50), unit, goal,
            Note: $"{rounds.Min().ToString(format, System.Globalization.CultureInfo.InvariantCulture)}–{rounds.Max().ToString(format, System.Globalization.CultureInfo.InvariantCulture)} {unit}");
}

/// <summary>What one scenario measured, on which machine, when.</summary>
public sealed record ScenarioResult(string Scenario, string Title, string Setup, DateTime At, string Machine, IReadOnlyList<Measure> Measures, IReadOnlyList<string> Notes);

public static class Percentiles
{
    /// <summary>The nearest-rank percentile (p in 0..100) of the values.</summary>
    public static double Of(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
        {
            throw new InvalidOperationException("No values to take a percentile of.");
        }
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    /// <summary>
    /// The mean of the middle half of the values (the lowest and the highest quarter left out): as steady as a median
    /// against a slow outlier, finer than one when the values are whole milliseconds.
    /// </summary>
    public static double MiddleMean(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            throw new InvalidOperationException("No values to take a mean of.");
        }
        var quarter = values.Count / 4;
        return values.Order().Skip(quarter).Take(values.Count - 2 * quarter).Average();
    }
}
