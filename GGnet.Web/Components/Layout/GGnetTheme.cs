using MudBlazor;

namespace GGnet.Web.Components.Layout;

public static class GGnetTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight { Primary = "#1e5aa8", Secondary = "#00897b", AppbarBackground = "#16325c" },
        PaletteDark = new PaletteDark { Primary = "#6ea8fe", Secondary = "#4db6ac" },
    };
}
