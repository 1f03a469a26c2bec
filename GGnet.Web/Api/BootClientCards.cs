using System.Net;
using System.Net.Sockets;
using GGnet.Core.Domain;
using GGnet.Core.Ports;

namespace GGnet.Web.Api;

/// <summary>
/// Who a boot request counts as for the boot limits: the network card the server's ARP cache shows at its address, so a
/// customer who gives his PC a hundred addresses is still one client and can't spend the budget of all on his own. An
/// address the server has not resolved (a PC behind a router, IPv6, loopback) counts by itself. The cache is read again
/// when an address is missing from the copy kept and that copy is older than <see cref="MissAfter"/>, or when the copy
/// is older than <see cref="KeptFor"/>; one request reads it at a time, and never a timer, so an idle GGnet reads nothing.
/// </summary>
public sealed class BootClientCards(INeighbourTable neighbours, TimeProvider clock)
{
    public static readonly TimeSpan MissAfter = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan KeptFor = TimeSpan.FromSeconds(10);

    private int _reading;
    private Copy _copy = new(new Dictionary<Ipv4Address, MacAddress>(), DateTimeOffset.MinValue);

    /// <summary>The client's key for the limits: its card ("card 52:54:00:…") or its address.</summary>
    public async ValueTask<string> KeyOfAsync(IPAddress client)
    {
        var address = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
        if (address.AddressFamily != AddressFamily.InterNetwork || IPAddress.IsLoopback(address))
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        var ipv4 = Ipv4Address.FromNumber((uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]));
        var copy = Volatile.Read(ref _copy);
        var age = clock.GetUtcNow() - copy.At;
        if (age > KeptFor || (age > MissAfter && !copy.Cards.ContainsKey(ipv4)))
        {
            copy = await ReadAgainAsync(copy);
        }
        return copy.Cards.TryGetValue(ipv4, out var card) ? "card " + card.Value : address.ToString();
    }

    private async Task<Copy> ReadAgainAsync(Copy kept)
    {
        if (Interlocked.CompareExchange(ref _reading, 1, 0) != 0)
        {
            // Another request is reading it: this one goes by the copy kept.
            return kept;
        }
        Copy fresh;
        try
        {
            fresh = new Copy(await neighbours.ReadAllAsync(CancellationToken.None), clock.GetUtcNow());
        }
        catch (Exception problem) when (problem is IOException or UnauthorizedAccessException)
        {
            // Boots go on, counted by address until the next read.
            fresh = new Copy(new Dictionary<Ipv4Address, MacAddress>(), clock.GetUtcNow());
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
        Volatile.Write(ref _copy, fresh);
        return fresh;
    }

    private sealed record Copy(IReadOnlyDictionary<Ipv4Address, MacAddress> Cards, DateTimeOffset At);
}
