using System.Globalization;
using GGnet.Core.Domain;
using GGnet.Core.Ports;

namespace GGnet.Infrastructure.Boot;

/// <summary>
/// The kernel's ARP cache of GGnet's own network namespace, from <c>/proc/net/arp</c> (readable by every user):
/// "IP address, HW type, Flags, HW address, Mask, Device", one line an entry after a heading.
/// </summary>
public sealed class KernelNeighbourTable(string path = KernelNeighbourTable.ProcPath) : INeighbourTable
{
    public const string ProcPath = "/proc/net/arp";

    // The kernel's ATF_COM: the entry holds a resolved MAC address (an unresolved one shows 00:00:00:00:00:00).
    private const int Complete = 0x2;

    public async Task<MacAddress?> FindAsync(Ipv4Address address, CancellationToken cancellationToken) =>
        File.Exists(path) ? Find(await File.ReadAllTextAsync(path, cancellationToken), address) : null;

    public async Task<IReadOnlyDictionary<Ipv4Address, MacAddress>> ReadAllAsync(CancellationToken cancellationToken) =>
        File.Exists(path) ? Parse(await File.ReadAllTextAsync(path, cancellationToken)) : new Dictionary<Ipv4Address, MacAddress>();

    /// <summary>The card at one address: a scan that stops at its line, for a PC's script request.</summary>
    public static MacAddress? Find(string table, Ipv4Address address)
    {
        var wanted = address.ToString();
        foreach (var line in table.Split('\n').Skip(1))
        {
            var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length >= 4 && columns[0] == wanted && CardOf(columns) is { } card)
            {
                return card;
            }
        }
        return null;
    }

    /// <summary>The resolved entries; an address on two of the server's links keeps its first.</summary>
    public static IReadOnlyDictionary<Ipv4Address, MacAddress> Parse(string table)
    {
        var cards = new Dictionary<Ipv4Address, MacAddress>();
        foreach (var line in table.Split('\n').Skip(1))
        {
            var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length >= 4 && Ipv4Address.TryParse(columns[0], out var address, out _) && CardOf(columns) is { } card)
            {
                cards.TryAdd(address, card);
            }
        }
        return cards;
    }

    // The line's MAC address when the entry is resolved.
    private static MacAddress? CardOf(string[] columns)
    {
        var complete = int.TryParse(columns[2].Replace("0x", "", StringComparison.Ordinal), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var flags)
            && (flags & Complete) != 0;
        return complete && MacAddress.TryParse(columns[3], out var mac, out _) ? mac : null;
    }
}
