using System.Text.Json;
using System.Text.Json.Serialization;
using GGnet.Infrastructure;
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
        services.AddMudServices();
        services.AddScoped<CurrentUser>();
        services.AddProblemDetails();
        services.AddSignalR();
        services.AddHostedService<GGnet.Web.Hubs.StatusHubBridge>();
        services.AddBootRateLimiting();
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        });
        // Keys that protect login cookies (and later CHAP secrets) live with the data, so a restart keeps everyone logged in.
        var dataDirectory = builder.Configuration[$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.DataDirectory)}"] ?? new DatabaseOptions().DataDirectory;
        services.AddDataProtection().SetApplicationName("GGnet").PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")));
        services.AddGGnetMetrics();
        services.AddHealthChecks()
            .AddDbContextCheck<GGnetDbContext>("database", tags: [HealthResponses.ReadyTag])
            .AddCheck<ComponentsHealthCheck>("boot", tags: [HealthResponses.ReadyTag]);
        return builder;
    }
}
