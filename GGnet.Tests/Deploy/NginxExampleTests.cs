using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using GGnet.Tests.Support;

namespace GGnet.Tests.Deploy;

/// <summary>
/// deploy/nginx-ggnet.conf run by the real nginx on loopback in front of two stand-in nodes: one browser's requests
/// all reach the same node (Blazor Server needs it), and a WebSocket upgrade is passed through.
/// </summary>
public sealed partial class NginxExampleTests
{
    [Fact]
    public async Task TheExample_KeepsABrowserOnOneNode_AndPassesWebSocketUpgrades()
    {
        using var folder = new TempDirectory();
        using var n1 = new StandInNode("n1");
        using var n2 = new StandInNode("n2");
        var port = FreePort();
        var example = await File.ReadAllTextAsync(RepositoryFiles.PathOf("deploy", "nginx-ggnet.conf"));
        var servers = UpstreamServer().Matches(example);
        Assert.Equal(2, servers.Count);
        var config = example.Replace("listen 80;", $"listen 127.0.0.1:{port};", StringComparison.Ordinal)
            .Replace(servers[0].Groups[1].Value, $"127.0.0.1:{n1.Port}", StringComparison.Ordinal)
            .Replace(servers[1].Groups[1].Value, $"127.0.0.1:{n2.Port}", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "ggnet.conf"), config);
        var temp = folder.Path;
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "nginx.conf"), $$"""
            master_process off; daemon off; pid {{temp}}/nginx.pid; error_log {{temp}}/error.log;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path {{temp}}/body; proxy_temp_path {{temp}}/proxy; fastcgi_temp_path {{temp}}/fastcgi;
                uwsgi_temp_path {{temp}}/uwsgi; scgi_temp_path {{temp}}/scgi;
                include {{temp}}/ggnet.conf;
            }
            """);

        var check = Process.Start(new ProcessStartInfo("/usr/sbin/nginx", ["-t", "-p", temp, "-c", Path.Combine(temp, "nginx.conf")]) { RedirectStandardError = true })!;
        var checkOutput = await check.StandardError.ReadToEndAsync();
        await check.WaitForExitAsync();
        Assert.True(check.ExitCode == 0, checkOutput);

        // One process (no master and workers), so that stopping it by its PID stops all of nginx.
        using var nginx = Process.Start(new ProcessStartInfo("/usr/sbin/nginx", ["-p", temp, "-c", Path.Combine(temp, "nginx.conf")]) { RedirectStandardError = true })!;
        try
        {
            using var browser = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitForAsync(browser);
            var answers = new List<string>();
            for (var i = 0; i < 10; i++)
            {
                answers.Add(await browser.GetStringAsync(new Uri($"/_blazor?id={i}", UriKind.Relative)));
            }
            Assert.Single(answers.Select(a => a.Split(' ')[0]).Distinct());

            using var upgrade = new HttpRequestMessage(HttpMethod.Get, "/_blazor");
            upgrade.Headers.Add("Upgrade", "websocket");
            upgrade.Headers.Add("Connection", "Upgrade");
            var passed = await (await browser.SendAsync(upgrade)).Content.ReadAsStringAsync();
            Assert.EndsWith("upgrade=websocket connection=upgrade", passed, StringComparison.Ordinal);
        }
        finally
        {
            nginx.Kill();
            await nginx.WaitForExitAsync();
        }
    }

    private static async Task WaitForAsync(HttpClient client)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                await client.GetAsync(new Uri("/", UriKind.Relative));
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException("nginx did not answer");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"server (\S+:\d+) ")]
    private static partial Regex UpstreamServer();

    /// <summary>A node stand-in: answers every request with its name and the upgrade headers it received.</summary>
    private sealed class StandInNode : IDisposable
    {
        private readonly HttpListener _listener = new();

        public StandInNode(string name)
        {
            Port = FreePort();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception stopped) when (stopped is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }
                    var body = System.Text.Encoding.UTF8.GetBytes(
                        $"{name} upgrade={context.Request.Headers["Upgrade"]} connection={context.Request.Headers["Connection"]?.ToLowerInvariant()}");
                    context.Response.StatusCode = 200;
                    await context.Response.OutputStream.WriteAsync(body);
                    context.Response.Close();
                }
            });
        }

        public int Port { get; }

        public void Dispose() => _listener.Close();
    }
}
