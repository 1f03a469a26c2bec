using GGnet.Infrastructure.Backups;
using GGnet.Infrastructure.Boot;
using GGnet.Infrastructure.Lab;
using Microsoft.Extensions.Configuration.Memory;
using GGnet.Infrastructure.Persistence;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;

namespace GGnet.Web.Composition;

public static class ConfigurationSetup
{
    public const string EnvironmentPrefix = "GGNET__";
    public const string SystemConfigFile = "/etc/ggnet/appsettings.json";

    /// <summary>Names another file to read instead of <see cref="SystemConfigFile"/> (a second instance, a test of an installed tree).</summary>
    public const string SystemConfigFileVariable = "GGNET_SETTINGS_FILE";

    /// <summary>
    /// Settings, weakest first: the operator's appsettings.json shipped beside the app (the repository's
    /// top-level file), /etc/ggnet/appsettings.json, the boot network as saved from the Settings page
    /// (network.json in the data directory), the mode chosen there (mode.json), CHAP once switched on there
    /// (chap.json), then environment variables
    /// GGNET__Section__Key — and in lab mode, above all of them, the lab's own boot network.
    /// </summary>
    public static WebApplicationBuilder AddGGnetConfiguration(this WebApplicationBuilder builder) =>
        builder.AddGGnetConfiguration(Environment.GetEnvironmentVariable(SystemConfigFileVariable) is { Length: > 0 } named ? named : SystemConfigFile);

    /// <summary>The same, with the system file named (a test's own).</summary>
    public static WebApplicationBuilder AddGGnetConfiguration(this WebApplicationBuilder builder, string systemFile)
    {
        // Files go after what ASP.NET reads from the content root (GGnet starts from its own folder: the shipped file is
        // read there too, and must not win over the operator's), and in front of the unprefixed environment variables and
        // the command line, so those still win over them.
        var sources = ((IConfigurationBuilder)builder.Configuration).Sources;
        var position = 0;
        while (position < sources.Count && sources[position] is not (EnvironmentVariablesConfigurationSource { Prefix: null or "" } or CommandLineConfigurationSource))
        {
            position++;
        }
        sources.Insert(position++, Json(Path.Combine(AppContext.BaseDirectory, "appsettings.json")));
        sources.Insert(position++, Json(systemFile));
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);

        var dataDirectory = builder.Configuration[$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.DataDirectory)}"] ?? new DatabaseOptions().DataDirectory;
        // The files the Settings page writes set only what that page sets (DataDirectorySettings): never a command or a path.
        sources.Insert(position++, new MemoryConfigurationSource { InitialData = DataDirectorySettings.Read(Path.Combine(dataDirectory, BootNetwork.FileName)) });
        sources.Insert(position++, new MemoryConfigurationSource { InitialData = DataDirectorySettings.Read(Path.Combine(dataDirectory, ModeFile.FileName)) });
        sources.Insert(position, new MemoryConfigurationSource { InitialData = DataDirectorySettings.Read(Path.Combine(dataDirectory, GGnet.Infrastructure.Iscsi.ChapFile.FileName)) });

        // Lab mode unless chosen otherwise (Lab:Enabled) or a boot network is configured: production is never an accident.
        var lab = builder.Configuration.GetSection(LabOptions.Section).Get<LabOptions>() ?? new LabOptions();
        lab.Enabled = builder.Configuration[$"{LabOptions.Section}:{nameof(LabOptions.Enabled)}"] is not null
            ? lab.Enabled
            : string.IsNullOrWhiteSpace(builder.Configuration["Network:ServerAddress"]);
        if (lab.Enabled)
        {
            // The lab's boot plane wins over everything, environment included, so nothing of it can point outside the lab.
            ((IConfigurationBuilder)builder.Configuration).Add(new MemoryConfigurationSource
            {
                InitialData = new Dictionary<string, string?>(LabSettings.Overrides(lab, dataDirectory)) { [$"{LabOptions.Section}:{nameof(LabOptions.Enabled)}"] = "true" },
            });
        }

        // Serves MudBlazor's and the app's static assets straight from the build output when not published.
        builder.WebHost.UseStaticWebAssets();
        return builder;
    }

    /// <summary>
    /// Root's settings only, for GGnet's root helper: the app's appsettings.json, the system file and GGNET__ variables;
    /// never the files in the data directory, which the service's user may write.
    /// </summary>
    public static void AddRootSettings(IConfigurationBuilder configuration)
    {
        configuration.Add(Json(Path.Combine(AppContext.BaseDirectory, "appsettings.json")));
        var systemFile = Environment.GetEnvironmentVariable(SystemConfigFileVariable);
        configuration.Add(Json(string.IsNullOrWhiteSpace(systemFile) ? SystemConfigFile : systemFile));
        configuration.AddEnvironmentVariables(EnvironmentPrefix);
    }

    private static JsonConfigurationSource Json(string path)
    {
        var source = new JsonConfigurationSource { Path = path, Optional = true, ReloadOnChange = false };
        source.ResolveFileProvider();
        return source;
    }
}
