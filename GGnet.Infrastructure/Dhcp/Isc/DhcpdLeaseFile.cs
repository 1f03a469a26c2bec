using System.Globalization;
using GGnet.Core.Domain;
using GGnet.Core.Ports;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Dhcp.Isc;

/// <summary>
/// Reads ISC dhcpd's leases file (<c>lease A.B.C.D { starts … ; hardware ethernet …; }</c>). Only dynamic leases
/// appear there: PCs with a fixed address are seen through their script request instead. The boot observer reads it
/// every few seconds, all day: the file is parsed again only when dhcpd changed it (its size or its time of writing).
/// </summary>
public sealed class DhcpdLeaseFile(IOptions<DhcpOptions> options) : ILeaseSource
{
    private volatile ReadOnce? _last;

    public async Task<IReadOnlyList<DhcpLease>?> ReadAsync(CancellationToken cancellationToken)
    {
        var path = options.Value.LeasesPath;
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return null;
        }
        if (_last is { } last && last.Path == path && last.Length == file.Length && last.WrittenAt == file.LastWriteTimeUtc)
        {
            return last.Leases;
        }
        // Changed between the look and the read: the next look sees another size or time, and reads it again.
        var leases = Parse(await File.ReadAllTextAsync(path, cancellationToken));
        _last = new ReadOnce(path, file.Length, file.LastWriteTimeUtc, leases);
        return leases;
    }

    private sealed record ReadOnce(string Path, long Length, DateTime WrittenAt, IReadOnlyList<DhcpLease> Leases);

    public static IReadOnlyList<DhcpLease> Parse(string text)
    {
        var leases = new Dictionary<string, DhcpLease>(StringComparer.Ordinal);
        Ipv4Address? address = null;
        MacAddress? mac = null;
        DateTime starts = default;
        DateTime? ends = null;
        var bound = true;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim().TrimEnd(';');
            if (line.StartsWith("lease ", StringComparison.Ordinal) && line.EndsWith('{'))
            {
                address = Ipv4Address.TryParse(line[6..^1].Trim(), out var parsed, out _) ? parsed : null;
                (mac, starts, ends, bound) = (null, default, null, true);
            }
            else if (line.StartsWith("starts ", StringComparison.Ordinal))
            {
                starts = TimeOf(line) ?? default;
            }
            else if (line.StartsWith("ends ", StringComparison.Ordinal))
            {
                // "ends never" for an infinite lease (and a lease without the line); an unreadable time counts as already ended.
                ends = line == "ends never" ? null : TimeOf(line) ?? DateTime.MinValue;
            }
            else if (line.StartsWith("binding state ", StringComparison.Ordinal))
            {
                // Not "next binding state" nor "rewind binding state": what the lease is now (free once expired or released).
                bound = line == "binding state active";
            }
            else if (line.StartsWith("hardware ethernet ", StringComparison.Ordinal))
            {
                mac = MacAddress.TryParse(line["hardware ethernet ".Length..], out var parsedMac, out _) ? parsedMac : null;
            }
            else if (line == "}" && address is not null && mac is not null)
            {
                // Later entries of the same address supersede earlier ones (dhcpd appends a lease each time it changes).
                leases[address.ToString()] = new DhcpLease(mac, address, starts, ends, bound);
                (address, mac) = (null, null);
            }
        }
        return leases.Values.ToList();
    }

    // "starts 5 2026/11/27 05:10:00" (UTC): the weekday, then the date and time.
    private static DateTime? TimeOf(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 4 && DateTime.TryParseExact($"{parts[2]} {parts[3]}", "yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;
    }
}
