using GGnet.Tests.Support;
using GGnet.Web.Composition;
using Microsoft.AspNetCore.Builder;

namespace GGnet.Tests.Web.Composition;

/// <summary>
/// The order docs/configuration.md promises, as GGnet starts on a server: from its own folder (the service's working
/// directory, where the shipped appsettings.json lies), the operator's /etc/ggnet/appsettings.json wins over the shipped
/// file, and GGNET__ variables over both.
/// </summary>
public sealed class ConfigurationOrderTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void TheSystemFile_WinsOverTheShippedFile_WhenGGnetStartsFromItsOwnFolder()
    {
        var system = Path.Combine(_directory.Path, "appsettings.json");
        File.WriteAllText(system, """{ "Auth": { "MaxFailedLogins": 9 }, "Database": { "Provider": "Postgres" } }""");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });

        builder.AddGGnetConfiguration(system);

        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "appsettings.json")), "the shipped appsettings.json is not beside the app");
        Assert.Equal("9", builder.Configuration["Auth:MaxFailedLogins"]);
        Assert.Equal("Postgres", builder.Configuration["Database:Provider"]);
        Assert.Equal("24", builder.Configuration["Auth:TokenLifetimeHours"]);
    }

    public void Dispose() => _directory.Dispose();
}
