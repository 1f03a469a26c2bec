using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using GGnet.Core.Ports;

namespace GGnet.Infrastructure.Webhooks;

/// <summary>
/// POSTs webhooks through the named client <see cref="ClientName"/> (bounded timeout, no redirects: a receiver that
/// moved says so with a 3xx, which counts as a failed attempt). A receiver that is slow, refuses or resets is an answer
/// to log, not an exception.
/// </summary>
public sealed class HttpWebhookSender(IHttpClientFactory clients) : IWebhookSender
{
    public const string ClientName = "webhooks";

    public async Task<WebhookResponse> SendAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Url)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(request.Body)),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }
        var client = clients.CreateClient(ClientName);
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return new WebhookResponse((int)response.StatusCode, null, watch.Elapsed);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookResponse(null, $"The receiver did not answer within {client.Timeout.TotalSeconds:0} seconds.", watch.Elapsed);
        }
        catch (HttpRequestException problem)
        {
            return new WebhookResponse(null, $"GGnet could not reach the receiver: {problem.Message}", watch.Elapsed);
        }
    }
}
