using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace GGnet.Web.Composition;

public static class ConfigurationSetup
{
    public const string EnvironmentPrefix = "GGNET__";
    public const string SystemConfigFile = "/etc/ggnet/appsettings.json";

    /// <summary>
    /// Settings, weakest first: the operator's appsettings.json shipped beside the app (the repository's
    /// top-level file), then /etc/ggnet/appsettings.json, then environment variables GGNET__Section__Key.
    /// </summary>
    public static WebApplicationBuilder AddGGnetConfiguration(this WebApplicationBuilder builder)
    {
        // Files go in front of the default environment and command-line sources, so those still win over them.
        var configuration = builder.Configuration;
        var firstOverride = ((IConfigurationBuilder)configuration).Sources.TakeWhile(source => source is not EnvironmentVariablesConfigurationSource).Count();
        var files = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false)
            .AddJsonFile(SystemConfigFile, optional: true, reloadOnChange: false)
            .Sources;
        foreach (var (source, offset) in files.Select((source, offset) => (source, offset)))
        {
            ((IConfigurationBuilder)configuration).Sources.Insert(firstOverride + offset, source);
        }
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);

        // Serves MudBlazor's and the app's static assets straight from the build output when not published.
        builder.WebHost.UseStaticWebAssets();
        return builder;
    }
}
