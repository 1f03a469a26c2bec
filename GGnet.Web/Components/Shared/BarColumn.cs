namespace GGnet.Web.Components.Shared;

/// <summary>One column of a <see cref="BarChart"/>: its label below (may be empty), a value per series (null: no bar), and the text its tooltip shows.</summary>
public sealed record BarColumn(string Label, IReadOnlyList<double?> Values, string Title);

/// <summary>The top of a chart's scale.</summary>
public static class BarScale
{
    /// <summary>The smallest of 1, 2, 2.5, 5 × a power of ten that is at least the largest value (1 when there is none).</summary>
    public static double NiceTop(double largest)
    {
        if (largest <= 0 || double.IsNaN(largest))
        {
            return 1;
        }
        var power = Math.Pow(10, Math.Floor(Math.Log10(largest)));
        return new[] { 1, 2, 2.5, 5, 10 }.Select(step => step * power).First(top => top >= largest);
    }
}
