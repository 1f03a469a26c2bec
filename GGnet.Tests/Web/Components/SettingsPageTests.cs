using Bunit;
using GGnet.Core.Ports;
using GGnet.Tests.Support;
using GGnet.Web.Components.Pages.Settings;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace GGnet.Tests.Web.Components;

/// <summary>The boot network form on the Settings page: every wrong value answered with a sentence, nothing saved until all are right.</summary>
public sealed class SettingsPageTests
{
    [Fact]
    public async Task BootNetwork_WrongValues_AreEachAnsweredWithASentence_AndNothingIsSaved()
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository(), admin: true);
        var store = context.Services.GetRequiredService<INetworkSettingsStore>();
        var before = store.Current;
        var page = context.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<BootNetworkPanel>(2);
            builder.CloseComponent();
        });

        page.Find("#edit-network").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#net-save")));
        page.Find("#net-server").Change("192.168.50.1");
        page.Find("#net-interface").Change("eth1; reboot");
        page.Find("#net-subnet").Change("192.168.50.0");
        page.Find("#net-netmask").Change("255.255.255.0");
        page.Find("#net-range-start").Change("192.168.50.200");
        page.Find("#net-range-end").Change("192.168.50.100");
        page.Find("#net-boot-url").Change("ftp://192.168.50.1");
        await page.Find("#net-save").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".network-problem").Count));
        var first = page.FindAll(".network-problem").Select(p => p.TextContent.Trim()).ToList();

        page.Find("#net-interface").Change("eth1");
        page.Find("#net-boot-url").Change("http://192.168.50.1:5000");
        await page.Find("#net-save").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("after its end", page.Find(".network-problem").TextContent, StringComparison.Ordinal));

        Assert.Contains("Network:Interface must name the network interface the PCs are on, like eth0 or br0.", first);
        Assert.Contains(first, p => p.StartsWith("Network:BootBaseUrl must be the plain http:// address", StringComparison.Ordinal));
        Assert.Equal("The dynamic range starts at 192.168.50.200, after its end 192.168.50.100.", page.Find(".network-problem").TextContent.Trim());
        Assert.Same(before, store.Current);
    }
}
