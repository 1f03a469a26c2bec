using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace GGnet.Infrastructure.Processes;

/// <summary>A named Linux network namespace (<c>ip netns</c>): create, run inside, list its processes, remove.</summary>
public sealed partial class NetworkNamespace(string name, ExternalCommand commands)
{
    private const int NewNetworkNamespace = 0x40000000;

    public string Name { get; } = name;

    public string Handle => Path.Combine("/run/netns", Name);

    public bool Exists => File.Exists(Handle);

    public async Task CreateAsync(CancellationToken cancellationToken) => await RequireAsync(["netns", "add", Name], cancellationToken);

    /// <summary>Runs a program inside the namespace and fails with its message when it fails.</summary>
    public async Task RunAsync(IReadOnlyList<string> command, CancellationToken cancellationToken) =>
        await RequireAsync(["netns", "exec", Name, .. command], cancellationToken);

    /// <summary>The processes that live in the namespace (all of them GGnet's: nothing else runs in there).</summary>
    public async Task<IReadOnlyList<int>> ProcessesAsync(CancellationToken cancellationToken)
    {
        if (!Exists)
        {
            return [];
        }
        var result = await commands.RunAsync("ip", ["netns", "pids", Name], cancellationToken);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pid => int.TryParse(pid, CultureInfo.InvariantCulture, out var id) ? id : 0).Where(id => id > 0).ToList();
    }

    /// <summary>Ends every process in the namespace (SIGTERM, then SIGKILL for those still there), then removes it.</summary>
    public async Task DestroyAsync(CancellationToken cancellationToken)
    {
        if (!Exists)
        {
            return;
        }
        await SignalAllAsync("TERM", cancellationToken);
        for (var wait = 0; wait < 30 && (await ProcessesAsync(cancellationToken)).Count > 0; wait++)
        {
            await Task.Delay(100, cancellationToken);
        }
        await SignalAllAsync("KILL", cancellationToken);
        for (var wait = 0; wait < 30 && (await ProcessesAsync(cancellationToken)).Count > 0; wait++)
        {
            await Task.Delay(100, cancellationToken);
        }
        await RequireAsync(["netns", "del", Name], cancellationToken);
    }

    private async Task SignalAllAsync(string signal, CancellationToken cancellationToken)
    {
        var pids = await ProcessesAsync(cancellationToken);
        if (pids.Count > 0)
        {
            await commands.RunAsync("kill", ["-" + signal, .. pids.Select(p => p.ToString(CultureInfo.InvariantCulture))], cancellationToken);
        }
    }

    /// <summary>
    /// Creates a socket that belongs to the namespace: a short-lived thread enters the namespace, makes the socket and
    /// ends. The socket stays in the namespace for its whole life, whichever thread uses it later.
    /// </summary>
    public Socket CreateSocket(AddressFamily family, SocketType type, ProtocolType protocol, Action<Socket> setUp)
    {
        Socket? socket = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle(Handle);
                if (SetNamespace((int)handle.DangerousGetHandle(), NewNetworkNamespace) != 0)
                {
                    throw new IOException($"GGnet could not enter the network namespace {Name} (errno {Marshal.GetLastPInvokeError()}).");
                }
                socket = new Socket(family, type, protocol);
                setUp(socket);
            }
            catch (Exception problem) when (problem is IOException or SocketException or UnauthorizedAccessException)
            {
                socket?.Dispose();
                socket = null;
                failure = problem;
            }
        })
        { IsBackground = true, Name = "netns " + Name };
        thread.Start();
        thread.Join();
        return socket ?? throw new IOException($"GGnet could not open a socket in the network namespace {Name}: {failure?.Message}", failure);
    }

    private async Task RequireAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await commands.RunAsync("ip", arguments, cancellationToken);
        if (!result.Succeeded)
        {
            throw new IOException($"'ip {string.Join(' ', arguments)}' failed: {result.Explanation}");
        }
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNamespace(int descriptor, int type);
}
