using Bunit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Ports;
using GGnet.Tests.Support;
using GGnet.Web.Components.Pages.Machines;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace GGnet.Tests.Web.Components;

/// <summary>Choosing a machine's or a group's data disks: only data images are offered, and only a save that happened is said.</summary>
public sealed class DataImagesPickerTests
{
    [Theory]
    [InlineData(true, "Data disks of machine pc-17: games, from its next session on.")]
    [InlineData(false, null)]
    public async Task AChoice_IsSaid_OnlyWhenItWasSaved(bool saved, string? said)
    {
        await using var context = ComponentTestContext.Create(new InMemoryMachineRepository());
        var images = (InMemoryImages)context.Services.GetRequiredService<IImageRepository>();
        images.Add("win11", "/images/win11/1.img");
        var games = images.Add("games", "/images/games/1.img", ImageKind.Data);
        var asked = new List<IReadOnlyList<int>>();
        context.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var page = context.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudSnackbarProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<DataImagesPicker>(2);
            builder.AddComponentParameter(3, nameof(DataImagesPicker.Owner), "machine pc-17");
            builder.AddComponentParameter(4, nameof(DataImagesPicker.CanOperate), true);
            builder.AddComponentParameter(5, nameof(DataImagesPicker.Save), (Func<IReadOnlyList<int>, Task<bool>>)(ids =>
            {
                asked.Add(ids);
                return Task.FromResult(saved);
            }));
            builder.CloseComponent();
        });
        var select = page.FindComponent<MudSelect<int>>();

        var offered = select.FindComponents<MudSelectItem<int>>().Select(i => i.Instance.Value).ToList();
        await page.InvokeAsync(() => select.Instance.SelectedValuesChanged.InvokeAsync([games.ImageId]));

        Assert.Empty(offered.Except([games.ImageId]));
        Assert.Equal([[games.ImageId]], asked);
        if (said is null)
        {
            Assert.DoesNotContain("Data disks of", page.Markup, StringComparison.Ordinal);
        }
        else
        {
            page.WaitForAssertion(() => Assert.Contains(said, page.Markup, StringComparison.Ordinal));
        }
    }
}
