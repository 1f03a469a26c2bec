using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Identity;

/// <summary>
/// Wrong passwords are counted per client address, not per account: after <see cref="AuthOptions.MaxFailedLogins"/>
/// from one address within <see cref="AuthOptions.LockoutMinutes"/>, that address waits out the rest of the window.
/// An account itself is never locked by wrong passwords, so a customer on the LAN can't lock <c>admin</c> out, and
/// the admin's API tokens keep working meanwhile.
/// </summary>
public sealed class LoginThrottle(IOptions<AuthOptions> options, TimeProvider clock)
{
    // Bounded like everything anonymous requests make: old windows go when there are many.
    private const int MaxTrackedAddresses = 10_000;

    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset Since)> _failures = new(StringComparer.Ordinal);

    private TimeSpan Window => TimeSpan.FromMinutes(options.Value.LockoutMinutes);

    /// <summary>How long the address must still wait before it may try again; null when it may try now.</summary>
    public TimeSpan? WaitFor(IPAddress? address)
    {
        if (!_failures.TryGetValue(Key(address), out var seen))
        {
            return null;
        }
        var left = seen.Since + Window - clock.GetUtcNow();
        return seen.Failures >= options.Value.MaxFailedLogins && left > TimeSpan.Zero ? left : null;
    }

    /// <summary>The sentence for an address that must wait.</summary>
    public static string Refusal(TimeSpan wait)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
        return $"Too many wrong passwords from this computer: try again in {minutes} minute{(minutes > 1 ? "s" : "")}. " +
            "Accounts are not locked: from another computer you can log in now.";
    }

    /// <summary>Counts a wrong password from the address; true when it is the one that makes the address wait.</summary>
    public bool Failed(IPAddress? address)
    {
        var now = clock.GetUtcNow();
        var counted = _failures.AddOrUpdate(Key(address), _ => (1, now), (_, seen) => now - seen.Since >= Window ? (1, now) : (seen.Failures + 1, seen.Since));
        if (_failures.Count > MaxTrackedAddresses)
        {
            foreach (var (key, seen) in _failures.Where(f => now - f.Value.Since >= Window).ToList())
            {
                _failures.TryRemove(new KeyValuePair<string, (int, DateTimeOffset)>(key, seen));
            }
        }
        return counted.Failures == options.Value.MaxFailedLogins;
    }

    public void Succeeded(IPAddress? address) => _failures.TryRemove(Key(address), out _);

    /// <summary>The address as the throttle counts it (an IPv4 address mapped to IPv6 as IPv4), or "unknown".</summary>
    public static string Key(IPAddress? address) => (address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address)?.ToString() ?? "unknown";
}
