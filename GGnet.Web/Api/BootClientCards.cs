using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using GGnet.Core.Domain;
using GGnet.Core.Ports;

namespace GGnet.Web.Api;

/// <summary>
/// Who a boot request counts as for the boot limits: on the boot network, the network card the server's ARP cache shows
/// at its address, so a customer who gives his PC a hundred addresses is still one client and can't spend the budget
/// of all on his own. Any other address (a PC behind a router, IPv6) counts by itself, and so does one at the gateway's
/// card (a router answering for the addresses behind it). The cache is read again when an address of the boot network
/// is missing from the copy kept and that copy is older than <see cref="MissAfter"/>, or when the copy is older than
/// <see cref="KeptFor"/>; one request reads it at a time, and never a timer, so an idle GGnet reads nothing.
/// </summary>
public sealed class BootClientCards(INeighbourTable neighbours, IBootNetwork network, TimeProvider clock)
{
    public static readonly TimeSpan MissAfter = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan KeptFor = TimeSpan.FromSeconds(10);

    /// <summary>Every request from the server itself (the lab's relay among them) is one client.</summary>
    public const string Loopback = "loopback";

    private int _reading;
    private Copy _copy = new(new Dictionary<uint, string>(), DateTimeOffset.MinValue);

    /// <summary>The client's key for the limits: its card ("card 52:54:00:…"), its address, or <see cref="Loopback"/>.</summary>
    public async ValueTask<string> KeyOfAsync(IPAddress client)
    {
        var address = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
        if (IPAddress.IsLoopback(address))
        {
            return Loopback;
        }
        if (NumberOf(address) is not { } number || network.Settings is not { } settings
            || (number & settings.Netmask.Number) != settings.Subnet.Number)
        {
            return address.ToString();
        }
        var copy = Volatile.Read(ref _copy);
        var age = clock.GetUtcNow() - copy.At;
        if (age > KeptFor || (age > MissAfter && !copy.Keys.ContainsKey(number)))
        {
            copy = await ReadAgainAsync(copy, settings.Gateway);
        }
        return copy.Keys.TryGetValue(number, out var key) ? key : address.ToString();
    }

    private static uint? NumberOf(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        return address.AddressFamily == AddressFamily.InterNetwork && address.TryWriteBytes(bytes, out _)
            ? BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : null;
    }

    private async Task<Copy> ReadAgainAsync(Copy kept, Ipv4Address? gateway)
    {
        if (Interlocked.CompareExchange(ref _reading, 1, 0) != 0)
        {
            // Another request is reading it: this one goes by the copy kept.
            return kept;
        }
        try
        {
            Copy fresh;
            try
            {
                fresh = Copy.Of(await neighbours.ReadAllAsync(CancellationToken.None), gateway, clock.GetUtcNow());
            }
            catch (Exception problem) when (problem is IOException or UnauthorizedAccessException)
            {
                // Boots go on, counted by address until the next read.
                fresh = new Copy(new Dictionary<uint, string>(), clock.GetUtcNow());
            }
            // Published before the next reader may start, so it reads no older copy than this.
            Volatile.Write(ref _copy, fresh);
            return fresh;
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
    }

    /// <summary>Each resolved address (as its number) with its key, made once a read.</summary>
    private sealed record Copy(IReadOnlyDictionary<uint, string> Keys, DateTimeOffset At)
    {
        public static Copy Of(IReadOnlyDictionary<Ipv4Address, MacAddress> cards, Ipv4Address? gateway, DateTimeOffset at)
        {
            var router = gateway is null ? null : cards.GetValueOrDefault(gateway);
            return new(cards.Where(c => c.Value != router).ToDictionary(c => c.Key.Number, c => "card " + c.Value.Value), at);
        }
    }
}
