using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GGnet.Core.Iscsi;

namespace GGnet.Infrastructure.Iscsi;

/// <summary>
/// Reads the established TCP connections to the target's portal ports from the kernel's tables
/// (<c>/proc/PID/net/tcp</c> and <c>tcp6</c>, PID a process in the target daemon's network namespace): the kernel
/// writes them, the daemon is not asked, and any user may read them.
/// </summary>
public static class IscsiSocketTable
{
    // "sl local_address rem_address st …": "0100007F:0CBC" is 127.0.0.1, port 3260; state 01 is ESTABLISHED.
    private const string Established = "01";

    /// <summary>
    /// The connections to <paramref name="ports"/> in the network of process <paramref name="pid"/> (null: GGnet's own);
    /// null when its table can't be seen (a <c>/proc</c> mounted without other processes' networks).
    /// </summary>
    public static IscsiSockets? Read(int? pid, IReadOnlySet<int> ports)
    {
        var folder = $"/proc/{(pid is { } p ? p.ToString(CultureInfo.InvariantCulture) : "self")}/net";
        if (!File.Exists(Path.Combine(folder, "tcp")))
        {
            return null;
        }
        var connections = new List<string>();
        foreach (var table in new[] { "tcp", "tcp6" })
        {
            var path = Path.Combine(folder, table);
            // No tcp6 where the kernel has no IPv6.
            if (File.Exists(path))
            {
                connections.AddRange(Parse(File.ReadLines(path), ports));
            }
        }
        connections.Sort(StringComparer.Ordinal);
        var key = Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(string.Join('\n', connections))));
        return new IscsiSockets(connections.Count, key);
    }

    /// <summary>Each established connection to one of <paramref name="ports"/>, as "local remote" in the table's own hex.</summary>
    public static IEnumerable<string> Parse(IEnumerable<string> lines, IReadOnlySet<int> ports)
    {
        foreach (var line in lines)
        {
            var fields = line.Split(' ', 5, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || fields[3] != Established)
            {
                continue;
            }
            var local = fields[1];
            var colon = local.LastIndexOf(':');
            if (colon > 0 && int.TryParse(local.AsSpan(colon + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var port)
                && ports.Contains(port))
            {
                yield return $"{local} {fields[2]}";
            }
        }
    }
}
