using GGnet.Core.Domain;
using GGnet.Infrastructure.Boot;
using GGnet.Infrastructure.Iscsi;
using GGnet.Infrastructure.Dhcp;
using GGnet.Infrastructure.Iscsi.Tgt.Control;
using GGnet.Infrastructure.RootHelper;
using GGnet.Infrastructure.Persistence;
using GGnet.Infrastructure.Processes;
using GGnet.Infrastructure.Storage;

namespace GGnet.Web.Composition;

/// <summary>
/// <c>GGnet.Web helper</c>, run as root by <c>ggnet-helper.service</c>: the only way the service (user <c>ggnet</c>)
/// reaches tgtd and the DHCP daemons' configuration. It reads root's settings only (the app's appsettings.json,
/// /etc/ggnet/appsettings.json, GGNET__ variables), never the data-directory files the service writes, and listens on
/// <c>Helper:Socket</c>.
/// </summary>
public static class RootHelperCommand
{
    public const string Verb = "helper";

    public static async Task<int> RunAsync()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        ConfigurationSetup.AddRootSettings(builder.Configuration);
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Services.Configure<IscsiOptions>(builder.Configuration.GetSection(IscsiOptions.Section));
        builder.Services.Configure<DhcpOptions>(builder.Configuration.GetSection(DhcpOptions.Section));
        var helper = builder.Configuration.GetSection(HelperOptions.Section).Get<HelperOptions>() ?? new HelperOptions();
        var iscsi = builder.Configuration.GetSection(IscsiOptions.Section).Get<IscsiOptions>() ?? new IscsiOptions();
        var storage = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var database = DatabaseOptions.From(builder.Configuration);
        var boot = builder.Configuration.GetSection(BootOptions.Section).Get<BootOptions>() ?? new BootOptions();
        if (string.IsNullOrWhiteSpace(helper.Socket) || string.IsNullOrWhiteSpace(helper.Group))
        {
            await Console.Error.WriteLineAsync("GGnet's helper can't start: Helper:Socket and Helper:Group must name its socket and the service's group.");
            return 1;
        }
        if (!Iqn.TryParse(boot.IqnAuthority, out var authority, out var wrong))
        {
            await Console.Error.WriteLineAsync($"GGnet's helper can't start: Boot:IqnAuthority: {wrong}");
            return 1;
        }
        builder.Services.AddSingleton(new TgtHelperLimits(authority, storage.DiskFolder(database.DataDirectory), storage.ImportFolder(database.DataDirectory)));
        builder.Services.AddSingleton<ExternalCommand>();
        builder.Services.AddSingleton<TgtdSocket>();
        builder.Services.AddSingleton<IHelperFiles, HelperFiles>();
        builder.Services.AddSingleton(sp => new TgtRequestPolicy(sp.GetRequiredService<TgtHelperLimits>(), sp.GetRequiredService<TgtdSocket>(), sp.GetRequiredService<IHelperFiles>()));
        builder.Services.AddSingleton<LocalConfigInstaller>();
        builder.Services.AddSingleton<RootHelperServer>();
        using var host = builder.Build();
        using var stopping = new CancellationTokenSource();
        Console.CancelKeyPress += (_, press) => { press.Cancel = true; stopping.Cancel(); };
        using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stopping.Cancel();
        });
        try
        {
            await host.Services.GetRequiredService<RootHelperServer>().RunAsync(helper.Socket, helper.Group, stopping.Token);
            return 0;
        }
        catch (Exception problem) when (problem is InvalidOperationException or IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            await Console.Error.WriteLineAsync($"GGnet's helper can't start: {problem.Message}");
            return 1;
        }
    }
}
