namespace GGnet.Tests.Support;

/// <summary>
/// The app with a boot network (10.99.0.0/24, which exists only in test namespaces), its TFTP root and
/// dhcpd.conf in a temp directory, the real dhcpd for checks, and a restart command that only counts.
/// </summary>
public class BootAppFactory : GGnetAppFactory
{
    private readonly TempDirectory _files = new();

    public BootAppFactory()
    {
        TftpRoot = Path.Combine(_files.Path, "tftp");
        DhcpdConfigPath = Path.Combine(_files.Path, "dhcpd.conf");
        RestartCounter = new RestartCounter(_files.Path);
    }

    public string TftpRoot { get; }

    public string DhcpdConfigPath { get; }

    public RestartCounter RestartCounter { get; }

    protected virtual int RequestsPerMinute => 10_000;

    protected virtual int SyncDelayMilliseconds => 300;

    /// <summary>False to start with no boot network, as on a fresh install.</summary>
    protected virtual bool WithNetwork => true;

    protected override IEnumerable<(string Key, string Value)> Settings() => (WithNetwork ? NetworkSettings : []).Concat(FileSettings);

    public static (string Key, string Value)[] NetworkSettings =>
    [
        ("Network:ServerAddress", "10.99.0.1"),
        ("Network:Interface", "br0"),
        ("Network:Subnet", "10.99.0.0"),
        ("Network:Netmask", "255.255.255.0"),
        ("Network:Gateway", "10.99.0.254"),
        ("Network:DnsServers:0", "10.99.0.1"),
        ("Network:RangeStart", "10.99.0.100"),
        ("Network:RangeEnd", "10.99.0.150"),
        ("Network:BootBaseUrl", "http://10.99.0.1:5000"),
        ("Network:DhcpMode", "Isc"),
        ("Network:WaitPollSeconds", "10"),
    ];

    private (string Key, string Value)[] FileSettings =>
    [
        ("Boot:TftpRoot", TftpRoot),
        ("Boot:RequestsPerMinutePerClient", RequestsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Boot:SyncDelayMilliseconds", SyncDelayMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Dhcp:ConfigPath", DhcpdConfigPath),
        ("Dhcp:RestartCommand", RestartCounter.Command),
        // These apps run no dhcpd or tftpd of their own: health looks at them only in the tests about it.
        ("Dhcp:PidFile", ""),
        ("Boot:TftpProbeAddress", ""),
    ];

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _files.Dispose();
        }
    }
}

/// <summary>A restart "command" that only appends a line to a file, so tests can count restarts.</summary>
public sealed class RestartCounter
{
    private readonly string _log;

    public RestartCounter(string directory)
    {
        _log = Path.Combine(directory, "restarts.log");
        var script = Path.Combine(directory, "count-restart.sh");
        File.WriteAllText(script, $"#!/bin/sh\necho restart >> '{_log}'\n");
        Command = $"/bin/sh {script}";
    }

    public string Command { get; }

    public int Count => File.Exists(_log) ? File.ReadAllLines(_log).Length : 0;
}
