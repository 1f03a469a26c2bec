using System.Net;
using GGnet.Core.Ports;
using GGnet.Core.Webhooks;
using GGnet.Infrastructure.Persistence.Repositories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Webhooks;

public static class WebhooksSetup
{
    /// <summary>Endpoints and deliveries in the database, the HTTP client that sends them, and the retry policy from Webhooks:*.</summary>
    public static IServiceCollection AddGGnetWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.RetryDelays.Count <= 20 && o.RetryDelays.All(d => d is >= 1 and <= 86_400),
                "Webhooks:RetryDelaysSeconds: at most 20 pauses, each between 1 and 86400 seconds.")
            .ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<WebhookOptions>>().Value;
            return new WebhookPolicy([.. options.RetryDelays.Select(s => TimeSpan.FromSeconds(s))], options.KeepDays);
        });
        services.AddSingleton<IWebhookRepository, WebhookRepository>();
        services.AddSingleton<IWebhookSender, HttpWebhookSender>();
        services.AddHttpClient(HttpWebhookSender.ClientName, (sp, client) =>
            {
                client.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.TimeoutSeconds);
                client.DefaultRequestHeaders.UserAgent.ParseAdd("GGnet-Webhooks/1");
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.None,
                ConnectTimeout = TimeSpan.FromSeconds(5),
            });
        return services;
    }
}
