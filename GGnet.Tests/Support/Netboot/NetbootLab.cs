using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using CliWrap;
using CliWrap.Buffered;

namespace GGnet.Tests.Support.Netboot;

/// <summary>
/// A private network (namespace with a bridge, 10.99.0.0/24 that exists only in there) in which the real
/// GGnet app runs with its own tgtd, ISC dhcpd and tftpd-hpa, and QEMU PCs network-boot from it.
/// The test talks to GGnet over a Unix socket; no traffic leaves the namespace. Everything is torn down.
/// </summary>
public sealed class NetbootLab : IAsyncDisposable
{
    public const string Server = "10.99.0.1";
    public const string AdminPassword = "e2e-admin-pass-1";

    private readonly List<Process> _processes = [];
    private readonly TempDirectory _directory = new();

    private NetbootLab()
    {
        Namespace = "ggnet-e2e-" + Guid.NewGuid().ToString("N")[..6];
    }

    public string Namespace { get; }

    public string Root => _directory.Path;

    public string DataDirectory => Path.Combine(Root, "data");

    public string TftpRoot => Path.Combine(Root, "tftp");

    public string AppSocket => Path.Combine(Root, "ggnet.sock");

    public string TgtIpcSocket => Path.Combine(Root, "tgt", "tgtd.sock");

    public int TgtControlPort { get; } = Random.Shared.Next(2000, 32000);

    public string LogOf(string name) => Path.Combine(Root, name + ".log");

    /// <param name="settings">Extra GGNET__ settings for the app (e.g. where its disks live).</param>
    public static async Task<NetbootLab> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var lab = new NetbootLab();
        try
        {
            await lab.CreateNetworkAsync();
            lab.StartTftpd();
            await lab.StartAppAsync(settings ?? new Dictionary<string, string>());
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    private async Task CreateNetworkAsync()
    {
        File.SetUnixFileMode(Root, (UnixFileMode)0b111_101_101);
        Directory.CreateDirectory(TftpRoot);
        File.SetUnixFileMode(TftpRoot, (UnixFileMode)0b111_101_101);
        await RunAsync("ip", "netns", "add", Namespace);
        await InNamespaceAsync("ip", "link", "set", "lo", "up");
        await InNamespaceAsync("sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
        await InNamespaceAsync("ip", "link", "add", "br0", "type", "bridge");
        await InNamespaceAsync("ip", "addr", "add", Server + "/24", "dev", "br0");
        await InNamespaceAsync("ip", "link", "set", "br0", "up");
        await InNamespaceAsync("ip", "tuntap", "add", "dev", "tap0", "mode", "tap");
        await InNamespaceAsync("ip", "link", "set", "tap0", "master", "br0");
        await InNamespaceAsync("ip", "link", "set", "tap0", "up");
        // dhcpd is (re)started by GGnet through this script, inside the namespace GGnet runs in.
        var script = Path.Combine(Root, "restart-dhcpd.sh");
        await File.WriteAllTextAsync(script, $"""
            #!/bin/sh
            pidfile='{Root}/dhcpd.pid'
            if [ -f "$pidfile" ]; then old=$(cat "$pidfile"); kill "$old" 2>/dev/null; while kill -0 "$old" 2>/dev/null; do sleep 0.05; done; fi
            touch '{Root}/dhcpd.leases'
            exec /usr/sbin/dhcpd -4 -q -cf '{Root}/dhcpd.conf' -lf '{Root}/dhcpd.leases' -pf "$pidfile" br0
            """.Replace("\r", "", StringComparison.Ordinal));
    }

    private void StartTftpd() =>
        Start("tftpd", "/usr/sbin/in.tftpd", ["--foreground", "--listen", "--address", Server + ":69", "--secure", TftpRoot], null);

    private async Task StartAppAsync(IReadOnlyDictionary<string, string> settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://{Server}:5080;http://unix:{AppSocket}",
            ["GGNET_ADMIN_PASSWORD"] = AdminPassword,
            ["GGNET__Lab__Enabled"] = "false",
            ["GGNET__Database__DataDirectory"] = DataDirectory,
            ["GGNET__Network__ServerAddress"] = Server,
            ["GGNET__Network__Interface"] = "br0",
            ["GGNET__Network__Subnet"] = "10.99.0.0",
            ["GGNET__Network__Netmask"] = "255.255.255.0",
            ["GGNET__Network__RangeStart"] = "10.99.0.100",
            ["GGNET__Network__RangeEnd"] = "10.99.0.150",
            ["GGNET__Network__BootBaseUrl"] = $"http://{Server}:5080",
            ["GGNET__Network__WaitPollSeconds"] = "3",
            ["GGNET__Boot__TftpRoot"] = TftpRoot,
            ["GGNET__Boot__ObserveMilliseconds"] = "500",
            ["GGNET__Boot__SyncDelayMilliseconds"] = "100",
            ["GGNET__Dhcp__ConfigPath"] = Path.Combine(Root, "dhcpd.conf"),
            ["GGNET__Dhcp__LeasesPath"] = Path.Combine(Root, "dhcpd.leases"),
            ["GGNET__Dhcp__RestartCommand"] = "/bin/sh " + Path.Combine(Root, "restart-dhcpd.sh"),
            ["GGNET__Dhcp__PidFile"] = Path.Combine(Root, "dhcpd.pid"),
            ["GGNET__Boot__TftpProbeAddress"] = Server + ":69",
            ["GGNET__Iscsi__RunOwnTgtd"] = "true",
            ["GGNET__Iscsi__PortalAddress"] = Server,
            ["GGNET__Iscsi__TgtControlPort"] = TgtControlPort.ToString(CultureInfo.InvariantCulture),
            ["GGNET__Iscsi__TgtIpcSocket"] = TgtIpcSocket,
            ["GGNET__Storage__DiskDirectory"] = Path.Combine(Root, "disks"),
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }
        Start("ggnet", "dotnet", [Path.Combine(AppContext.BaseDirectory, "GGnet.Web.dll")], environment);
        using var client = CreateClient();
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                if ((await client.GetAsync(new Uri("/health", UriKind.Relative))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("GGnet did not answer in the lab: " + await File.ReadAllTextAsync(LogOf("ggnet")));
    }

    /// <summary>An HTTP client that reaches GGnet through its Unix socket.</summary>
    public HttpClient CreateClient()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(AppSocket), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://ggnet.lab") };
    }

    /// <summary>Powers on a QEMU PC (TCG, iPXE NIC ROM) on the lab bridge; its COM1 and COM2 (firmware/iPXE console) go to files.</summary>
    public QemuPc PowerOn(string mac, string name)
    {
        var sercon = Path.Combine(Root, "sercon-com2.bin");
        File.WriteAllBytes(sercon, [0xf8, 0x02]);
        var pc = new QemuPc(Path.Combine(Root, name + "-com1.log"), Path.Combine(Root, name + "-com2.log"));
        pc.Process = Start(name, "qemu-system-x86_64",
        [
            "-accel", "tcg", "-machine", "pc", "-m", "128", "-display", "none", "-vga", "none", "-monitor", "none",
            "-no-reboot", "-boot", "order=n,reboot-timeout=0",
            "-serial", "file:" + pc.Com1, "-serial", "file:" + pc.Com2,
            "-fw_cfg", $"name=etc/sercon-port,file={sercon}",
            "-netdev", "tap,id=n0,ifname=tap0,script=no,downscript=no",
            "-device", $"e1000,netdev=n0,mac={mac}",
        ], null);
        return pc;
    }

    private Process Start(string name, string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo("ip", ["netns", "exec", Namespace, program, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var log = new StreamWriter(LogOf(name)) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    private Task<BufferedCommandResult> InNamespaceAsync(params string[] arguments) => RunAsync(["ip", "netns", "exec", Namespace, .. arguments]);

    private static async Task<BufferedCommandResult> RunAsync(params string[] command)
    {
        var result = await Cli.Wrap(command[0]).WithArguments(command[1..]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', command)} failed: {result.StandardError}");
        }
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        // GGnet first (SIGTERM: it stops its own tgtd), then the rest; dhcpd runs detached, found by its pidfile.
        foreach (var process in Enumerable.Reverse(_processes))
        {
            await StopAsync(process);
            process.Dispose();
        }
        await FuseLeftovers.StopAllAsync(Path.Combine(Root, "disks"));
        var pidfile = Path.Combine(Root, "dhcpd.pid");
        if (File.Exists(pidfile) && int.TryParse(File.ReadAllText(pidfile).Trim(), CultureInfo.InvariantCulture, out var dhcpd))
        {
            try
            {
                using var process = Process.GetProcessById(dhcpd);
                process.Kill();
            }
            catch (ArgumentException)
            {
            }
        }
        await Cli.Wrap("ip").WithArguments(["netns", "del", Namespace]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        _directory.Dispose();
    }

    /// <summary>SIGTERM, then SIGKILL after the 30 s that GGnet's service unit gives a stop (TimeoutStopSec).</summary>
    internal static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}

/// <summary>A running QEMU PC and its two serial logs.</summary>
public sealed class QemuPc(string com1, string com2)
{
    public string Com1 { get; } = com1;

    public string Com2 { get; } = com2;

    public Process Process { get; set; } = null!;

    /// <summary>Waits until this PC wrote the text to one of its serial logs.</summary>
    public async Task<bool> WaitForAsync(string log, string text, TimeSpan timeout)
    {
        if (log != Com1 && log != Com2)
        {
            throw new ArgumentException("Not one of this PC's serial logs.", nameof(log));
        }
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(log) && (await File.ReadAllTextAsync(log)).Contains(text, StringComparison.Ordinal))
            {
                return true;
            }
            await Task.Delay(200);
        }
        return false;
    }

    public Task PowerOffAsync() => NetbootLab.StopAsync(Process);
}
