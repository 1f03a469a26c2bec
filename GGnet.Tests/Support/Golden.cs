namespace GGnet.Tests.Support;

/// <summary>
/// Compares rendered text with a reviewed file under GGnet.Tests/**/Golden/. Set GGNET_UPDATE_GOLDEN=1 to
/// rewrite the files after an intended change, then review the diff before committing it.
/// </summary>
public static class Golden
{
    public static void Matches(string folder, string name, string actual)
    {
        var path = Path.Combine(Artifacts.RepositoryRoot(), "GGnet.Tests", folder, "Golden", name);
        if (Environment.GetEnvironmentVariable("GGNET_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
        }
        Assert.True(File.Exists(path), $"Golden file {path} is missing; run the tests once with GGNET_UPDATE_GOLDEN=1 and review it.");
        Assert.Equal(File.ReadAllText(path), actual);
    }
}
