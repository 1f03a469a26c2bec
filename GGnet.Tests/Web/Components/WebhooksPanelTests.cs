using Bunit;
using GGnet.Core.Domain.Webhooks;
using GGnet.Core.Ports;
using GGnet.Tests.Support;
using GGnet.Web.Components.Pages.Settings;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace GGnet.Tests.Web.Components;

/// <summary>The Webhooks panel on the Settings page: add an endpoint, see its secret once, and its delivery log, newest first.</summary>
public sealed class WebhooksPanelTests
{
    [Fact]
    public async Task AddingAnEndpoint_ShowsItsSecret_AndItsDeliveryLogNewestFirst()
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository(), admin: true);
        var webhooks = context.Services.GetRequiredService<InMemoryWebhooks>();
        var panel = context.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<WebhooksPanel>(2);
            builder.CloseComponent();
        });

        panel.Find("#webhook-add").Click();
        panel.WaitForAssertion(() => Assert.NotEmpty(panel.FindAll("#webhook-save")));
        panel.Find("#webhook-url").Change("https://billing.example/ggnet");
        await panel.Find("#webhook-save").ClickAsync(new());
        panel.WaitForAssertion(() => Assert.NotEmpty(panel.FindAll("#webhook-secret-value")));
        var endpoint = Assert.Single(await webhooks.ListAsync(CancellationToken.None));
        var secret = context.Services.GetRequiredService<ISecretProtector>().Unprotect(endpoint.ProtectedSecret);
        var delivery = new WebhookDelivery(Guid.NewGuid(), endpoint.Id, Guid.NewGuid(), WebhookEventTypes.SessionReady, "{}", DateTime.UtcNow);
        await webhooks.SaveAttemptAsync(delivery, delivery.Record(500, null, TimeSpan.FromMilliseconds(12), DateTime.UtcNow, lastChance: false), CancellationToken.None);
        await webhooks.SaveAttemptAsync(delivery, delivery.Record(204, null, TimeSpan.FromMilliseconds(8), DateTime.UtcNow, lastChance: false), CancellationToken.None);
        await panel.Find(".webhook-log-refresh").ClickAsync(new());
        var rows = panel.FindAll(".webhook-log-table tbody tr");

        Assert.Equal(secret, panel.Find("#webhook-secret-value").TextContent);
        Assert.Equal("all", endpoint.Events.Value);
        Assert.Contains("https://billing.example/ggnet", panel.Find("#webhook-list").TextContent, StringComparison.Ordinal);
        Assert.Equal(2, rows.Count);
        Assert.Contains("204", rows[0].QuerySelector(".webhook-result")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("500", rows[1].QuerySelector(".webhook-result")!.TextContent, StringComparison.Ordinal);
        Assert.All(rows, r => Assert.Contains("session.ready", r.TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ABadUrl_IsAnsweredWithASentence_AndNothingIsAdded()
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository(), admin: true);
        var panel = context.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<WebhooksPanel>(2);
            builder.CloseComponent();
        });

        panel.Find("#webhook-add").Click();
        panel.WaitForAssertion(() => Assert.NotEmpty(panel.FindAll("#webhook-save")));
        panel.Find("#webhook-url").Change("ftp://billing.example/");
        await panel.Find("#webhook-save").ClickAsync(new());

        panel.WaitForAssertion(() => Assert.Contains("is not an absolute http or https URL", panel.Markup, StringComparison.Ordinal));
        Assert.Empty(await context.Services.GetRequiredService<IWebhookRepository>().ListAsync(CancellationToken.None));
        Assert.NotEmpty(panel.FindAll("#webhooks-none"));
    }
}
