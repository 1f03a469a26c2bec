using GGnet.Tests.Support;

namespace GGnet.Tests.Structure;

/// <summary>
/// A line of production code fits a screen: .editorconfig asks editors for 160 characters (max_line_length); no line of
/// GGnet.Core, GGnet.Infrastructure or GGnet.Web (generated migrations aside) may pass 200.
/// </summary>
public sealed class LineLengthTests
{
    private const int Ceiling = 200;

    private static readonly string[] Projects = ["GGnet.Core", "GGnet.Infrastructure", "GGnet.Web"];

    [Fact]
    public void NoProductionLine_IsLongerThan200Characters()
    {
        var sources = Projects
            .SelectMany(project => Directory.EnumerateFiles(RepositoryFiles.PathOf(project), "*.*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)
                && !f.Contains("/Migrations/", StringComparison.Ordinal))
            .ToList();

        var tooLong = sources
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Number: i + 1, line.Length)))
            .Where(l => l.Length > Ceiling)
            .Select(l => $"{Path.GetRelativePath(RepositoryFiles.PathOf(), l.File)}:{l.Number} ({l.Length})")
            .ToList();

        Assert.True(sources.Count > 300, "the production sources were not found");
        Assert.Empty(tooLong);
    }
}
