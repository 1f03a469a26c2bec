using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace GGnet.Bench;

/// <summary>
/// The floor the real-OS boots are held against: the same boot wired by hand, no GGnet. A network namespace of its
/// own with a bridge on 10.98.0.0/24 (it exists only inside the namespace), and in it what an admin would start
/// from a shell: tgtd (one target and one reflink copy of the image per PC), dhcpd (a host entry per PC, iPXE sent
/// to a script on TFTP), tftpd-hpa with one <c>sanboot</c> script per PC, IPv6 router adverts (else iPXE waits 15 s),
/// and QEMU per PC with the lab's own command line. Everything is stopped and the namespace removed on dispose.
/// </summary>
public sealed partial class HandWiredLab : IAsyncDisposable
{
    private const string Server = "10.98.0.1";
    private const string Bridge = "br0";
    private const string TargetPrefix = "iqn.2024-01.net.ggnet.bench:handwired.";

    private readonly string _folder;
    private readonly string _namespace = "ggnet-hw" + Guid.NewGuid().ToString("N")[..6];
    private readonly TgtAdmin _tgtadm;
    private readonly List<Process> _daemons = [];
    private readonly List<Process> _pcs = [];
    private readonly int _count;

    private HandWiredLab(string folder, int count)
    {
        _folder = folder;
        _count = count;
        _tgtadm = new TgtAdmin(Random.Shared.Next(20000, 32000).ToString(CultureInfo.InvariantCulture), Path.Combine(folder, "tgtd.sock"));
    }

    private string Tftp => Path.Combine(_folder, "tftp");

    /// <summary>PC <paramref name="pc"/>'s serial console (1-based).</summary>
    public string ConsoleOf(int pc) => Path.Combine(_folder, $"pc{pc}.console");

    private static string MacOf(int pc) => string.Create(CultureInfo.InvariantCulture, $"52:54:00:98:00:{pc:x2}");

    /// <summary>Brings up the namespace and its daemons for <paramref name="count"/> PCs; nothing boots yet.</summary>
    public static async Task<HandWiredLab> StartAsync(string folder, int count)
    {
        Directory.CreateDirectory(Path.Combine(folder, "tftp"));
        // tftpd serves as an unprivileged user: the path to its root must be readable.
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(Path.Combine(folder, "tftp"), (UnixFileMode)0b111_101_101);
        var lab = new HandWiredLab(folder, count);
        try
        {
            await lab.WireAsync();
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
        return lab;
    }

    private async Task WireAsync()
    {
        await RunAsync("ip", ["netns", "add", _namespace]);
        await InNamespaceAsync(["ip", "link", "set", "lo", "up"]);
        await InNamespaceAsync(["sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0"]);
        await InNamespaceAsync(["ip", "link", "add", Bridge, "type", "bridge"]);
        await InNamespaceAsync(["ip", "addr", "add", Server + "/24", "dev", Bridge]);
        await InNamespaceAsync(["ip", "link", "set", Bridge, "up"]);
        for (var pc = 1; pc <= _count; pc++)
        {
            var tap = $"tap{pc}";
            await InNamespaceAsync(["ip", "tuntap", "add", "dev", tap, "mode", "tap"]);
            await InNamespaceAsync(["ip", "link", "set", tap, "master", Bridge]);
            await InNamespaceAsync(["ip", "link", "set", tap, "up"]);
        }

        StartDaemon("tgtd", ["/usr/sbin/tgtd", "-f", "-C", _tgtadm.ControlPort, "--iscsi", $"portal={Server}:3260"], _tgtadm.Environment);
        await _tgtadm.WaitUntilUpAsync();

        var config = Path.Combine(_folder, "dhcpd.conf");
        await File.WriteAllTextAsync(config, DhcpdConfig());
        await File.WriteAllTextAsync(Path.Combine(_folder, "dhcpd.leases"), "");
        StartDaemon("dhcpd", ["/usr/sbin/dhcpd", "-4", "-f", "-cf", config, "-lf", Path.Combine(_folder, "dhcpd.leases"), "-pf", Path.Combine(_folder, "dhcpd.pid"), Bridge]);
        StartDaemon("tftpd", ["/usr/sbin/in.tftpd", "--foreground", "--listen", "--address", Server + ":69", "--secure", Tftp]);
        var adverts = Path.Combine(_folder, "router-adverts.py");
        await File.WriteAllTextAsync(adverts, RouterAdverts);
        StartDaemon("adverts", ["/usr/bin/python3", adverts, Bridge]);
    }

    /// <summary>Gives each PC a reflink copy of the image as LUN 1 of a target of its own, and its boot script.</summary>
    public async Task PrepareDisksAsync(string image)
    {
        for (var pc = 1; pc <= _count; pc++)
        {
            var tid = pc.ToString(CultureInfo.InvariantCulture);
            var disk = Path.Combine(_folder, $"pc{pc}.img");
            await ReflinkVolume.RunAsync("cp", ["--reflink=always", image, disk]);
            await _tgtadm.RequireAsync(["--lld", "iscsi", "--op", "new", "--mode", "target", "--tid", tid, "-T", TargetPrefix + tid]);
            await _tgtadm.RequireAsync(["--lld", "iscsi", "--op", "new", "--mode", "logicalunit", "--tid", tid, "--lun", "1", "-b", disk]);
            await _tgtadm.RequireAsync(["--lld", "iscsi", "--op", "bind", "--mode", "target", "--tid", tid, "-I", "ALL"]);
            await File.WriteAllTextAsync(Path.Combine(Tftp, $"pc{pc}.ipxe"), $"""
                #!ipxe
                set initiator-iqn iqn.2024-01.net.ggnet.bench:initiator.pc{pc}
                sanboot iscsi:{Server}:::1:{TargetPrefix}{tid}

                """);
        }
    }

    /// <summary>Powers every PC on at once: QEMU as the lab runs it (<paramref name="accel"/>, <paramref name="memoryMiB"/>, BIOS).</summary>
    public async Task PowerOnAsync(string accel, int memoryMiB)
    {
        var sercon = Path.Combine(_folder, "sercon-port.bin");
        await File.WriteAllBytesAsync(sercon, [0xf8, 0x03]);
        for (var pc = 1; pc <= _count; pc++)
        {
            File.Delete(ConsoleOf(pc));
            _pcs.Add(StartInNamespace(Path.Combine(_folder, $"pc{pc}.qemu.log"),
            [
                "/usr/bin/qemu-system-x86_64", "-name", $"pc{pc}", "-accel", accel, "-machine", "pc", "-m", memoryMiB.ToString(CultureInfo.InvariantCulture),
                "-display", "none", "-vga", "none", "-monitor", "none", "-boot", "order=n", "-serial", "file:" + ConsoleOf(pc),
                "-fw_cfg", $"name=etc/sercon-port,file={sercon}",
                "-netdev", $"tap,id=n0,ifname=tap{pc},script=no,downscript=no", "-device", $"virtio-net-pci,netdev=n0,mac={MacOf(pc)}",
            ]));
        }
    }

    /// <summary>The iSCSI logins (tgtd's I_T nexus ids) each PC's target (1-based) has now.</summary>
    public async Task<IReadOnlyDictionary<int, HashSet<string>>> LoginsAsync()
    {
        var show = await _tgtadm.RunAsync(["--lld", "iscsi", "--op", "show", "--mode", "target"]);
        var logins = new Dictionary<int, HashSet<string>>();
        var target = 0;
        foreach (var line in show.StandardOutput.Split('\n'))
        {
            if (TargetLine().Match(line) is { Success: true } t)
            {
                target = int.Parse(t.Groups[1].Value, CultureInfo.InvariantCulture);
                logins[target] = [];
            }
            else if (NexusLine().Match(line) is { Success: true } n && target > 0)
            {
                logins[target].Add(n.Groups[1].Value);
            }
        }
        return logins;
    }

    private string DhcpdConfig()
    {
        var config = new StringBuilder($$"""
            option space ipxe;
            option ipxe-encap-opts code 175 = encapsulate ipxe;
            option ipxe.no-pxedhcp code 176 = unsigned integer 8;
            default-lease-time 600; max-lease-time 600; authoritative; ddns-update-style none;
            subnet 10.98.0.0 netmask 255.255.255.0 {
              range 10.98.0.100 10.98.0.150;
              option ipxe.no-pxedhcp 1;
            }

            """);
        for (var pc = 1; pc <= _count; pc++)
        {
            config.Append(CultureInfo.InvariantCulture, $$"""
                host pc{{pc}} {
                  hardware ethernet {{MacOf(pc)}};
                  fixed-address 10.98.0.{{10 + pc}};
                  option host-name "pc{{pc}}";
                  if exists user-class and option user-class = "iPXE" {
                    filename "tftp://{{Server}}/pc{{pc}}.ipxe";
                  }
                }

                """);
        }
        return config.ToString();
    }

    // An IPv6 router advert (no prefix, router lifetime 0) on the bridge twice a second: iPXE stops waiting for one.
    private const string RouterAdverts = """
        import socket, struct, sys, time
        index = socket.if_nametoindex(sys.argv[1])
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, index)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
        advert = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0, 0, 0, 0)
        while True:
            try:
                s.sendto(advert, ("ff02::1", 0, 0, index))
            except OSError:
                pass
            time.sleep(0.5)

        """;

    private void StartDaemon(string name, string[] command, IReadOnlyDictionary<string, string?>? environment = null) =>
        _daemons.Add(StartInNamespace(Path.Combine(_folder, name + ".log"), command, environment));

    private Process StartInNamespace(string log, string[] command, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo("ip", ["netns", "exec", _namespace, .. command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{command[0]} did not start.");
        var writer = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private Task InNamespaceAsync(string[] command) => RunAsync("ip", ["netns", "exec", _namespace, .. command]);

    private static Task RunAsync(string program, string[] arguments) => ReflinkVolume.RunAsync(program, arguments);

    [GeneratedRegex(@"^Target (\d+): ")]
    private static partial Regex TargetLine();

    [GeneratedRegex(@"^\s+I_T nexus: (\d+)")]
    private static partial Regex NexusLine();

    /// <summary>Powers the PCs off and empties tgtd; the daemons and namespace stay for another round.</summary>
    public async Task PowerOffAsync()
    {
        await StopAsync(_pcs);
        _pcs.Clear();
        for (var pc = 1; pc <= _count; pc++)
        {
            await _tgtadm.RunAsync(["--lld", "iscsi", "--op", "delete", "--mode", "target", "--tid", pc.ToString(CultureInfo.InvariantCulture), "--force"]);
            File.Delete(Path.Combine(_folder, $"pc{pc}.img"));
        }
    }

    private static async Task StopAsync(IEnumerable<Process> processes)
    {
        foreach (var process in processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await PowerOffAsync();
        // tgtd ignores SIGTERM while it has targets; the targets are gone and it holds nothing anyone needs.
        await StopAsync(_daemons);
        _daemons.Clear();
        await ReflinkVolume.RunAsync("ip", ["netns", "del", _namespace], check: false);
    }
}
