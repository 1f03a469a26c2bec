using System.Text.Json;
using System.Text.Json.Serialization;
using GGnet.Infrastructure;
using GGnet.Infrastructure.Nodes;
using GGnet.Infrastructure.Persistence;
using GGnet.Web.Api;
using GGnet.Web.Auth;
using Microsoft.AspNetCore.DataProtection;
using GGnet.Web.Components.Shared;
using MudBlazor.Services;

namespace GGnet.Web.Composition;

public static class ServiceSetup
{
    public static WebApplicationBuilder AddGGnetServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddGGnetInfrastructure(builder.Configuration);
        services.AddGGnetAuth();

        services.AddRazorComponents().AddInteractiveServerComponents();
        // Bottom left, over the menu: toasts at the right lay over the tables' Start and Power buttons.
        services.AddMudServices(mud => mud.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomLeft);
        services.AddScoped<CurrentUser>();
        services.AddProblemDetails();
        // With Redis, every node's hubs (the status hub, and Blazor's own) share one backplane: a change made through
        // node A reaches a browser connected to node B.
        var signalR = services.AddSignalR();
        var redis = builder.Configuration.GetSection(RedisOptions.Section).Get<RedisOptions>() ?? new RedisOptions();
        if (redis.Enabled)
        {
            signalR.AddStackExchangeRedis(redis.Configuration!, o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal(redis.ChannelPrefix + ":signalr"));
        }
        services.AddHostedService<GGnet.Web.Hubs.StatusHubBridge>();
        services.AddSingleton<BootClientCards>();
        services.AddSingleton<BootRequestGuard>();
        services.AddSingleton<BootFileAnswers>();
        services.AddSingleton<GGnet.Web.Components.Pages.Dashboard.DashboardReads>();
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        });
        // Keys that protect login cookies and CHAP secrets live with the data, so a restart keeps everyone logged in: in the
        // data directory on SQLite, in the database on PostgreSQL (where every node must decrypt what another encrypted).
        var database = DatabaseOptions.From(builder.Configuration);
        var protection = services.AddDataProtection().SetApplicationName("GGnet");
        if (database.Provider == DatabaseProvider.Postgres)
        {
            protection.PersistKeysToDbContext<GGnetDbContext>();
        }
        else
        {
            protection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(database.DataDirectory, "keys")));
        }
        services.AddGGnetMetrics();
        services.AddOptions<HealthOptions>().Bind(builder.Configuration.GetSection(HealthOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ComponentsHealthCheck>();
        services.AddHealthChecks()
            .AddDbContextCheck<GGnetDbContext>("database", tags: [HealthResponses.ReadyTag])
            .AddCheck<ComponentsHealthCheck>("boot", tags: [HealthResponses.ReadyTag]);
        return builder;
    }
}
