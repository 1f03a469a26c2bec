using System.Globalization;
using System.Security.Cryptography;
using GGnet.Core.Domain.Webhooks;
using GGnet.Core.Ports;

namespace GGnet.Core.Webhooks;

/// <summary>
/// One attempt of one delivery, as a job: sign the body with a fresh timestamp, POST it, log the attempt. A 2xx answer
/// delivers; anything else (another status, a timeout, a refused connection) schedules the next attempt after the
/// next delay of <see cref="WebhookPolicy.RetryDelays"/>, until they run out and the delivery is Failed.
/// </summary>
public sealed class DeliverWebhook(IWebhookRepository webhooks, IWebhookSender sender, IWebhookJobs jobs, ISecretProtector protector, WebhookPolicy policy, TimeProvider clock)
{
    public async Task ExecuteAsync(Guid deliveryId, int attempt, CancellationToken cancellationToken)
    {
        // Only the attempt that is due runs: a job run twice, or one that lost a race, finds the count moved on and does nothing.
        if (await webhooks.FindDeliveryAsync(deliveryId, cancellationToken) is not { State: WebhookDeliveryState.Pending } delivery || delivery.Attempts != attempt - 1)
        {
            return;
        }
        // A deleted endpoint took its deliveries with it; a switched-off one gets no more attempts.
        if (await webhooks.FindAsync(delivery.EndpointId, cancellationToken) is not { } endpoint)
        {
            return;
        }
        if (!endpoint.Enabled)
        {
            delivery.GiveUp();
            await webhooks.SaveAttemptAsync(delivery, null, CancellationToken.None);
            return;
        }

        var now = clock.GetUtcNow();
        var lastChance = attempt >= policy.MaxAttempts;
        WebhookAttempt logged;
        try
        {
            var response = await sender.SendAsync(Sign(delivery, endpoint, now.ToUnixTimeSeconds()), cancellationToken);
            logged = delivery.Record(response.StatusCode, response.Error, response.Duration, now.UtcDateTime, lastChance);
        }
        catch (CryptographicException)
        {
            logged = delivery.Record(null,
                "GGnet can't decrypt this endpoint's secret (its data protection keys are gone, e.g. a database restored without them). Delete the endpoint and add it again.",
                TimeSpan.Zero, now.UtcDateTime, lastChance: true);
        }
        await webhooks.SaveAttemptAsync(delivery, logged, CancellationToken.None);
        if (delivery.State == WebhookDeliveryState.Pending)
        {
            jobs.ScheduleDelivery(delivery.Id, attempt + 1, policy.RetryDelays[attempt - 1]);
        }
    }

    private WebhookRequest Sign(WebhookDelivery delivery, WebhookEndpoint endpoint, long timestamp) => new(
        endpoint.Url.Uri,
        delivery.Body,
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [WebhookSignature.EventHeader] = delivery.EventType,
            [WebhookSignature.DeliveryHeader] = delivery.Id.ToString("D"),
            [WebhookSignature.TimestampHeader] = timestamp.ToString(CultureInfo.InvariantCulture),
            [WebhookSignature.SignatureHeader] = WebhookSignature.Compute(protector.Unprotect(endpoint.ProtectedSecret), timestamp, delivery.Body),
        });
}
