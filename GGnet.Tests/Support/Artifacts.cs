namespace GGnet.Tests.Support;

/// <summary>Where tests leave files for people to look at (screenshots): $GGNET_ARTIFACTS, or artifacts/ at the repository root.</summary>
public static class Artifacts
{
    public static string Directory
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("GGNET_ARTIFACTS");
            var directory = string.IsNullOrWhiteSpace(configured) ? Path.Combine(RepositoryRoot(), "artifacts") : configured;
            System.IO.Directory.CreateDirectory(directory);
            return directory;
        }
    }

    public static string PathOf(string fileName) => Path.Combine(Directory, fileName);

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "GGnet.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? Path.GetTempPath();
    }
}
