using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace GGnet.Web.Components.Layout;

/// <summary>
/// Around the dialog provider (MainLayout): a dialog that fails takes the provider down with it, so the dialogs open then
/// are ended as cancelled, and whoever waits for one goes on as if the admin had cancelled it; <see cref="OverlayFailed"/>
/// shows in their place.
/// </summary>
public sealed class DialogErrorBoundary : ErrorBoundary, IDisposable
{
    private readonly List<IDialogReference> _open = [];

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    protected override void OnInitialized()
    {
        base.OnInitialized();
        Dialogs.DialogInstanceAddedAsync += TrackAsync;
    }

    protected override async Task OnErrorAsync(Exception exception)
    {
        await base.OnErrorAsync(exception);
        foreach (var dialog in _open)
        {
            dialog.Dismiss(DialogResult.Cancel());
        }
        _open.Clear();
    }

    public void Dispose() => Dialogs.DialogInstanceAddedAsync -= TrackAsync;

    private Task TrackAsync(IDialogReference dialog)
    {
        _open.RemoveAll(open => open.Result.IsCompleted);
        _open.Add(dialog);
        return Task.CompletedTask;
    }
}
