namespace GGnet.Tests.Deploy;

/// <summary>A unit file's settings, key by key (a key set twice keeps both values).</summary>
internal sealed class Unit(ILookup<string, string> settings)
{
    public IEnumerable<string> Keys => settings.Select(g => g.Key);

    public string Single(string key) => settings[key].Single();

    public IEnumerable<string> Words(string key) => settings[key].SelectMany(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    public static Unit Read(string path) => new(File.ReadAllLines(path)
        .Select(l => l.Trim())
        .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith('[') && l.Contains('=', StringComparison.Ordinal))
        .ToLookup(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]));
}
