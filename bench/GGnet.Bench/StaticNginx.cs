using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace GGnet.Bench;

/// <summary>
/// Debian's nginx serving one static file, with a configuration of the benchmark's own in a temporary folder,
/// listening only on 127.0.0.1; stopped by its master's PID.
/// </summary>
public sealed class StaticNginx : IAsyncDisposable
{
    private readonly DirectoryInfo _folder;
    private readonly Process _master;

    private StaticNginx(DirectoryInfo folder, Process master, int port)
    {
        _folder = folder;
        _master = master;
        Port = port;
    }

    public int Port { get; }

    public static async Task<StaticNginx> StartAsync(string fileName, byte[] content)
    {
        var folder = Directory.CreateTempSubdirectory("ggnet-bench-nginx-");
        // The workers run as nginx's unprivileged user and must read the file.
        var readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(folder.FullName, readable);
        var www = Directory.CreateDirectory(Path.Combine(folder.FullName, "www"), readable);
        await File.WriteAllBytesAsync(Path.Combine(www.FullName, fileName), content);
        var port = FreeLoopbackPort();
        var config = Path.Combine(folder.FullName, "nginx.conf");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $$"""
            daemon off;
            worker_processes auto;
            pid {{folder.FullName}}/nginx.pid;
            error_log {{folder.FullName}}/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                default_type text/plain;
                server {
                    listen 127.0.0.1:{{port}};
                    root {{www.FullName}};
                }
            }
            """));
        var master = Process.Start(new ProcessStartInfo("/usr/sbin/nginx", ["-c", config, "-p", folder.FullName])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("nginx did not start.");
        var nginx = new StaticNginx(folder, master, port);
        using var client = new HttpClient();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (master.HasExited)
            {
                throw new InvalidOperationException($"nginx stopped at once: {await master.StandardError.ReadToEndAsync()}");
            }
            try
            {
                (await client.GetAsync(new Uri($"http://127.0.0.1:{port}/{fileName}"))).EnsureSuccessStatusCode();
                return nginx;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }
        await nginx.DisposeAsync();
        throw new InvalidOperationException("nginx did not answer within 5 s.");
    }

    internal static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        // SIGTERM to the master (its PID, which we started): it stops its workers and leaves.
        if (!_master.HasExited)
        {
            Process.Start("kill", ["-TERM", _master.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _master.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _master.Kill(entireProcessTree: true);
            }
        }
        _master.Dispose();
        _folder.Delete(recursive: true);
    }
}
