using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace GGnet.Bench;

/// <summary>
/// ASP.NET Core's own floor: Kestrel answering one fixed 300-byte text from a minimal endpoint, on 127.0.0.1, in this
/// process, with GGnet's runtime settings. What GGnet's boot endpoint does beyond this is GGnet's cost; what this does
/// beyond nginx is the framework's.
/// </summary>
public sealed class StaticKestrel : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StaticKestrel(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public static async Task<StaticKestrel> StartAsync(string path, byte[] content)
    {
        var port = StaticNginx.FreeLoopbackPort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet(path, () => Results.Bytes(content, "text/plain; charset=utf-8"));
        await app.StartAsync();
        return new StaticKestrel(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
