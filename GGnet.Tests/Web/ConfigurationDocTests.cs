using System.Reflection;
using GGnet.Tests.Support;
using GGnet.Web.Composition;

namespace GGnet.Tests.Web;

/// <summary>docs/configuration.md stays the reference: every setting GGnet reads is there, and it names none that GGnet doesn't read.</summary>
public sealed class ConfigurationDocTests
{
    private static readonly string Doc = File.ReadAllText(RepositoryFiles.PathOf("docs", "configuration.md"));

    [Fact]
    public void EverySettingGGnetReads_IsDocumented()
    {
        var missing = Settings().Where(key => !Doc.Contains($"`{key}`", StringComparison.Ordinal) && !Doc.Contains($"`{key}:0`", StringComparison.Ordinal)).ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void EveryDocumentedSetting_IsOneGGnetReads()
    {
        var known = Settings().ToHashSet(StringComparer.Ordinal);
        var documented = System.Text.RegularExpressions.Regex.Matches(Doc, @"^\| `([A-Z][A-Za-z]+:[A-Z][A-Za-z]+)", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value);

        Assert.All(documented, key => Assert.Contains(key, known));
    }

    private static IEnumerable<string> Settings() =>
        SettingsCheck.Sections.SelectMany(s => s.Options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => $"{s.Section}:{p.Name}"));

}
