namespace GGnet.Tests.Support;

/// <summary>Files of the repository the tests run from (docs, deploy), found above the test's output folder.</summary>
public static class RepositoryFiles
{
    public static string PathOf(params string[] parts)
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "GGnet.sln")))
        {
            folder = folder.Parent;
        }
        return Path.Combine([folder?.FullName ?? throw new InvalidOperationException("GGnet.sln not found above the test folder."), .. parts]);
    }
}
