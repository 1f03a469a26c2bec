using System.Text.Json;
using GGnet.Core.Domain.Webhooks;
using GGnet.Core.Errors;
using GGnet.Core.Ports;
using GGnet.Core.Webhooks;
using GGnet.Web.Auth;

namespace GGnet.Web.Api;

/// <summary>Outgoing webhooks, for admins only: the endpoints, their signing secrets (on creation and on request, audited) and their delivery logs.</summary>
public static class WebhookApiEndpoints
{
    /// <param name="Events">A list of event names, one name, names joined by commas, or "all".</param>
    public sealed record WebhookInput(string? Url, JsonElement? Events, bool? Enabled)
    {
        public WebhookEndpointInput ToInput() => new(Url, Names(Events), Enabled);

        private static string[]? Names(JsonElement? events) => events switch
        {
            { ValueKind: JsonValueKind.String } text => text.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            { ValueKind: JsonValueKind.Array } list when list.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) =>
                [.. list.EnumerateArray().Select(e => e.GetString()!)],
            { ValueKind: JsonValueKind.Undefined or JsonValueKind.Null } or null => null,
            _ => [],
        };
    }

    public sealed record WebhookDto(int Id, string Url, IReadOnlyList<string> Events, bool Enabled, DateTime CreatedAt)
    {
        public static WebhookDto From(WebhookEndpoint e) =>
            new(e.Id, e.Url.Value, e.Events.IsAll ? [WebhookEventFilter.AllName] : e.Events.Events, e.Enabled, e.CreatedAt);
    }

    /// <summary>An endpoint just made, with the secret its receiver checks signatures with.</summary>
    public sealed record CreatedWebhookDto(int Id, string Url, IReadOnlyList<string> Events, bool Enabled, DateTime CreatedAt, string Secret);

    public sealed record WebhookSecretDto(string Secret);

    public sealed record WebhookAttemptDto(long Id, Guid DeliveryId, string Event, int Attempt, DateTime At, int? StatusCode, string? Error, int DurationMilliseconds, bool Succeeded)
    {
        public static WebhookAttemptDto From(WebhookAttempt a) => new(a.Id, a.DeliveryId, a.EventType, a.Number, a.At, a.StatusCode, a.Error, a.DurationMilliseconds, a.Succeeded);
    }

    public static void MapWebhookEndpoints(this RouteGroupBuilder api)
    {
        var webhooks = api.MapGroup("/webhooks").WithTags("Webhooks").RequireAuthorization(Policies.AdminOnly);

        webhooks.MapGet("/", async (IWebhookRepository repository, CancellationToken cancellationToken) =>
            (await repository.ListAsync(cancellationToken)).Select(WebhookDto.From).ToList())
            .WithSummary("Every webhook endpoint (never its secret).");

        webhooks.MapGet("/{id:int}", async (int id, IWebhookRepository repository, CancellationToken cancellationToken) =>
            WebhookDto.From(await repository.FindAsync(id, cancellationToken) ?? throw new NotFoundException($"There is no webhook endpoint with id {id}.")));

        webhooks.MapPost("/", async (WebhookInput input, CreateWebhookEndpoint create, HttpContext context, CancellationToken cancellationToken) =>
        {
            var (endpoint, secret) = await create.ExecuteAsync(input.ToInput(), context.Actor(), cancellationToken);
            var dto = WebhookDto.From(endpoint);
            return Results.Created($"/api/v1/webhooks/{endpoint.Id}", new CreatedWebhookDto(dto.Id, dto.Url, dto.Events, dto.Enabled, dto.CreatedAt, secret));
        })
        .WithSummary("Add an endpoint {url, events: [names] | \"all\", enabled}; the answer carries its signing secret.");

        webhooks.MapPut("/{id:int}", async (int id, WebhookInput input, UpdateWebhookEndpoint update, HttpContext context, CancellationToken cancellationToken) =>
            WebhookDto.From(await update.ExecuteAsync(id, input.ToInput(), context.Actor(), cancellationToken)))
            .WithSummary("Change an endpoint's URL, events or enabled flag; its secret stays.");

        webhooks.MapDelete("/{id:int}", async (int id, DeleteWebhookEndpoint delete, HttpContext context, CancellationToken cancellationToken) =>
        {
            await delete.ExecuteAsync(id, context.Actor(), cancellationToken);
            return Results.NoContent();
        })
        .WithSummary("Remove an endpoint and its delivery log.");

        webhooks.MapPost("/{id:int}/secret", async (int id, RevealWebhookSecret reveal, HttpContext context, CancellationToken cancellationToken) =>
            new WebhookSecretDto(await reveal.ExecuteAsync(id, context.Actor(), cancellationToken)))
            .WithSummary("The endpoint's signing secret in clear; each look is audited.");

        webhooks.MapGet("/{id:int}/deliveries", async (int id, int? limit, IWebhookRepository repository, CancellationToken cancellationToken) =>
        {
            _ = await repository.FindAsync(id, cancellationToken) ?? throw new NotFoundException($"There is no webhook endpoint with id {id}.");
            return (await repository.ListAttemptsAsync(id, Math.Clamp(limit ?? 100, 1, 500), cancellationToken)).Select(WebhookAttemptDto.From).ToList();
        })
        .WithSummary("The endpoint's delivery log, newest attempt first (limit 1–500, default 100).");
    }
}
