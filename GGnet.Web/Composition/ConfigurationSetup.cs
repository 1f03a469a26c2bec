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
        builder.Configuration
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false)
            .AddJsonFile(SystemConfigFile, optional: true, reloadOnChange: false)
            .AddEnvironmentVariables(EnvironmentPrefix);

        // Serves MudBlazor's and the app's static assets straight from the build output when not published.
        builder.WebHost.UseStaticWebAssets();
        return builder;
    }
}
