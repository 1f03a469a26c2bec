using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace GGnet.Tests.Support;

/// <summary>
/// A webhook receiver on 127.0.0.1 (HttpListener: no host of its own to confuse the app's WebApplicationFactory). It
/// records every request byte for byte and answers 200, or the statuses queued with <see cref="AnswerNext"/> first.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<int> _answers = new();
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly Task _loop;

    private WebhookReceiver(int port)
    {
        Url = $"http://127.0.0.1:{port}/hook";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    /// <summary>A status that is never 2xx from now on, instead of 200.</summary>
    public int? AlwaysAnswer { get; set; }

    public static WebhookReceiver Start()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new WebhookReceiver(port);
    }

    public void AnswerNext(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _answers.Enqueue(status);
        }
    }

    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!done(Received))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The receiver never got what was expected; it got {Received.Count} request(s): {string.Join(" | ", Received.Select(r => r.Body))}");
            }
            await Task.Delay(100);
        }
        return Received;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var status = AlwaysAnswer ?? (_answers.TryDequeue(out var next) ? next : 200);
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
            _received.Enqueue(new ReceivedWebhook(DateTime.UtcNow, context.Request.HttpMethod, context.Request.ContentType, body, headers, status));
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}

/// <summary>One request the receiver got, and what it answered.</summary>
public sealed record ReceivedWebhook(DateTime At, string Method, string? ContentType, string Body, IReadOnlyDictionary<string, string> Headers, int AnsweredWith)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string Event => Headers.GetValueOrDefault("X-GGnet-Event", "");

    public int? SessionId => Json.GetProperty("data").TryGetProperty("sessionId", out var id) ? id.GetInt32() : null;

    public int? MachineId => Json.GetProperty("data").TryGetProperty("machineId", out var id) ? id.GetInt32() : null;
}
