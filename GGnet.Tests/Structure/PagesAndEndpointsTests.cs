using System.Text.RegularExpressions;
using GGnet.Tests.Support;

namespace GGnet.Tests.Structure;

/// <summary>
/// The rule of docs/architecture.md: pages and API endpoints change GGnet's state only through a use case (which audits
/// and notifies); through a port they may only read. Read from the sources, so it holds for every page and endpoint.
/// </summary>
public sealed partial class PagesAndEndpointsTests
{
    [Fact]
    public void PagesAndEndpoints_ChangeNothingThroughAPort()
    {
        var web = RepositoryFiles.PathOf("GGnet.Web");
        var ports = Directory.EnumerateFiles(RepositoryFiles.PathOf("GGnet.Core", "Ports"), "I*.cs").Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.Ordinal);
        var sources = Directory.EnumerateFiles(Path.Combine(web, "Components"), "*.razor", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(web, "Api"), "*.cs", SearchOption.AllDirectories))
            .ToList();

        var writes = new List<string>();
        foreach (var source in sources)
        {
            var text = File.ReadAllText(source);
            // "@inject IPort Name" in a page, "IPort name" as an endpoint's parameter.
            var names = Injected().Matches(text).Where(m => ports.Contains(m.Groups["port"].Value)).Select(m => m.Groups["name"].Value).Distinct();
            foreach (var name in names)
            {
                writes.AddRange(Regex.Matches(text, $@"\b{name}\.(?<call>(Save|Add|Delete|Update|Remove|Write|Set|Create|Mark|Record|Put|Enqueue)\w*)\(")
                    .Select(m => $"{Path.GetRelativePath(web, source)}: {name}.{m.Groups["call"].Value}"));
            }
        }

        Assert.True(sources.Count > 20, "the pages and endpoints were not found");
        Assert.Empty(writes);
    }

    [GeneratedRegex(@"(@inject\s+|[(,]\s*)(?<port>I[A-Z]\w+)\s+(?<name>\w+)")]
    private static partial Regex Injected();
}
