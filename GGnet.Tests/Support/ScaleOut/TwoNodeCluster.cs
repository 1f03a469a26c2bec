using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace GGnet.Tests.Support.ScaleOut;

/// <summary>
/// Two real GGnet processes, nodes "n1" and "n2", on two loopback ports, sharing one new PostgreSQL database and the test
/// Redis; each node has its own tgtd, disk folder, TFTP root and data folder. n1 runs the boot services (TFTP, DHCP).
/// </summary>
public sealed class TwoNodeCluster : IAsyncDisposable
{
    public const string RedisVariable = "GGNET_TEST_REDIS";
    public const string TargetPrefix = "iqn.2024-01.net.ggnet:session.";

    private readonly TempDirectory _files = new();

    private TwoNodeCluster()
    {
    }

    public ClusterNode N1 { get; private set; } = null!;

    public ClusterNode N2 { get; private set; } = null!;

    public static async Task<TwoNodeCluster> StartAsync()
    {
        var redis = Environment.GetEnvironmentVariable(RedisVariable);
        if (string.IsNullOrWhiteSpace(redis))
        {
            throw new InvalidOperationException(
                $"The scale-out tests need Redis: set {RedisVariable} (e.g. 127.0.0.1:6379) to a redis-server of the tests' own, or run the suite with deploy/test.sh, which starts one.");
        }
        var database = await TestDatabases.NewPostgresAsync();
        var cluster = new TwoNodeCluster();
        // A channel prefix of its own: clusters of other tests on the same Redis never hear this one.
        var prefix = "ggnet-test-" + Guid.NewGuid().ToString("N")[..8];
        cluster.N1 = await ClusterNode.StartAsync("n1", "127.0.0.11", bootServices: true, Path.Combine(cluster._files.Path, "n1"), database.ConnectionString!, redis, prefix);
        cluster.N2 = await ClusterNode.StartAsync("n2", "127.0.0.12", bootServices: false, Path.Combine(cluster._files.Path, "n2"), database.ConnectionString!, redis, prefix);
        return cluster;
    }

    /// <summary>Adds PCs through a node's API; returns their ids.</summary>
    public static async Task<List<int>> AddMachinesAsync(HttpClient api, string prefix, int count)
    {
        var ids = new List<int>();
        for (var i = 1; i <= count; i++)
        {
            var created = await api.PostAsJsonAsync("/api/v1/machines", new { name = $"{prefix}-{i:00}", macAddress = MacOf(prefix, i) });
            created.EnsureSuccessStatusCode();
            ids.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32());
        }
        return ids;
    }

    /// <summary>The MAC address <see cref="AddMachinesAsync"/> gives PC number <paramref name="number"/> of a prefix.</summary>
    public static string MacOf(string prefix, int number) =>
        $"52:54:00:{prefix.Sum(c => c) & 0xff:x2}:00:{number:x2}";

    public async ValueTask DisposeAsync()
    {
        if (N2 is not null)
        {
            await N2.DisposeAsync();
        }
        if (N1 is not null)
        {
            await N1.DisposeAsync();
        }
        _files.Dispose();
    }
}

/// <summary>One node of a <see cref="TwoNodeCluster"/>: the process, its tgtd and its folders.</summary>
public sealed class ClusterNode : IAsyncDisposable
{
    private ClusterNode(string name, string portal, string root, GGnetProcess process, TgtDaemon tgtd)
    {
        Name = name;
        Portal = portal;
        Root = root;
        Process = process;
        Tgtd = tgtd;
    }

    public string Name { get; }

    /// <summary>The iSCSI portal address the node registers; PCs' scripts for its sessions point there.</summary>
    public string Portal { get; }

    public string Root { get; }

    public GGnetProcess Process { get; }

    public TgtDaemon Tgtd { get; }

    public string Data => Path.Combine(Root, "data");

    public string Disks => Path.Combine(Root, "disks");

    public string Tftp => Path.Combine(Root, "tftp");

    public static async Task<ClusterNode> StartAsync(string name, string portal, bool bootServices, string root, string database, string redis, string channelPrefix)
    {
        var tgtd = await TgtDaemon.StartAsync();
        Directory.CreateDirectory(root);
        var restarts = new RestartCounter(root);
        var process = new GGnetProcess(Path.Combine(root, "data"),
        [
            .. BootAppFactory.NetworkSettings,
            ("Database:Provider", "Postgres"),
            ("Database:ConnectionString", database),
            ("Redis:Configuration", redis),
            ("Redis:ChannelPrefix", channelPrefix),
            ("Lab:Enabled", "false"),
            ("Node:Name", name),
            ("Node:PortalAddress", portal),
            ("Node:BootServices", bootServices ? "true" : "false"),
            ("Node:HeartbeatSeconds", "1"),
            ("Node:DownAfterSeconds", "3"),
            ("Boot:TftpRoot", Path.Combine(root, "tftp")),
            ("Boot:SyncDelayMilliseconds", "100"),
            ("Dhcp:ConfigPath", Path.Combine(root, "dhcpd.conf")),
            ("Dhcp:RestartCommand", restarts.Command),
            ("Dhcp:LeasesPath", Path.Combine(root, "dhcpd.leases")),
            ("Iscsi:Backend", "Tgt"),
            // The tests read the PCs' scripts as the test client, not from a PC's address: without CHAP they name the target.
            ("Iscsi:Chap", "Off"),
            ("Iscsi:TgtControlPort", tgtd.ControlPort.ToString(CultureInfo.InvariantCulture)),
            ("Iscsi:TgtIpcSocket", tgtd.IpcSocket),
            ("Storage:DiskDirectory", Path.Combine(root, "disks")),
            ("Storage:CloneStrategy", "Copy"),
        ]);
        await process.StartAsync();
        return new ClusterNode(name, portal, root, process, tgtd);
    }

    /// <summary>Imports a golden image through this node (the file in its own import folder): the node stores it.</summary>
    public async Task<int> ImportImageAsync(string name, int mebibytes)
    {
        Directory.CreateDirectory(Path.Combine(Data, "import"));
        await File.WriteAllBytesAsync(Path.Combine(Data, "import", name + ".img"), Enumerable.Range(0, mebibytes << 20).Select(i => (byte)i).ToArray());
        using var api = await Process.CreateAdminClientAsync();
        var response = await api.PostAsJsonAsync("/api/v1/images/import", new { name, file = name + ".img" });
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await api.WaitForAsync($"/api/v1/images/{id}", i => i.GetProperty("versions").EnumerateArray().Any(v => v.GetProperty("status").GetString() == "ready"), TimeSpan.FromSeconds(60));
        return id;
    }

    /// <summary>The session targets in this node's own tgtd.</summary>
    public async Task<List<string>> TargetsAsync()
    {
        var show = await Tgtd.TgtadmAsync("--lld", "iscsi", "--op", "show", "--mode", "target");
        return show.StandardOutput.Split('\n').Where(l => l.StartsWith("Target ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[2].Trim())
            .Where(t => t.StartsWith(TwoNodeCluster.TargetPrefix, StringComparison.Ordinal)).ToList();
    }

    public IReadOnlyList<string> DiskFiles => Directory.Exists(Disks) ? Directory.GetFiles(Disks).Select(f => Path.GetFileName(f)).ToList() : [];

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        await Tgtd.DisposeAsync();
    }
}
