using System.Net;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Identity;

/// <summary>
/// Wrong passwords are counted per client address, not per account: after <see cref="AuthOptions.MaxFailedLogins"/>
/// from one address within <see cref="AuthOptions.LockoutMinutes"/>, that address waits out the rest of the window.
/// An account itself is never locked by wrong passwords, so a customer on the LAN can't lock <c>admin</c> out, and
/// the admin's API tokens keep working meanwhile. An attempt is counted before its password is checked, so attempts
/// sent all at once get no more tries than attempts sent one after the other (and no more password hashing).
/// </summary>
public sealed class LoginThrottle(IOptions<AuthOptions> options, TimeProvider clock)
{
    // Bounded like everything anonymous requests make: old windows go when there are many.
    private const int MaxTrackedAddresses = 10_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (int Attempts, DateTimeOffset Since)> _attempts = new(StringComparer.Ordinal);

    private TimeSpan Window => TimeSpan.FromMinutes(options.Value.LockoutMinutes);

    /// <summary>
    /// An attempt to log in from the address, counted as a wrong password until <see cref="Succeeded"/> says otherwise;
    /// refused (with how long to wait) when the address has had its tries.
    /// </summary>
    public LoginAttempt Begin(IPAddress? address)
    {
        var key = Key(address);
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            var seen = _attempts.TryGetValue(key, out var kept) && now - kept.Since < Window ? kept : (Attempts: 0, Since: now);
            if (seen.Attempts >= options.Value.MaxFailedLogins)
            {
                return new LoginAttempt(address, seen.Attempts, seen.Since + Window - now);
            }
            _attempts[key] = (seen.Attempts + 1, seen.Since);
            if (_attempts.Count > MaxTrackedAddresses)
            {
                foreach (var old in _attempts.Where(a => now - a.Value.Since >= Window).Select(a => a.Key).ToList())
                {
                    _attempts.Remove(old);
                }
            }
            return new LoginAttempt(address, seen.Attempts + 1, null);
        }
    }

    /// <summary>Whether this attempt's wrong password is the one that makes its address wait.</summary>
    public bool MakesItWait(LoginAttempt attempt) => attempt.Wait is null && attempt.Number == options.Value.MaxFailedLogins;

    /// <summary>The sentence for an address that must wait.</summary>
    public static string Refusal(TimeSpan wait)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
        return $"Too many wrong passwords from this computer: try again in {minutes} minute{(minutes > 1 ? "s" : "")}. " +
            "Accounts are not locked: from another computer you can log in now.";
    }

    /// <summary>A right password from the address: its count starts again.</summary>
    public void Succeeded(IPAddress? address)
    {
        lock (_gate)
        {
            _attempts.Remove(Key(address));
        }
    }

    /// <summary>The address as the throttle counts it (an IPv4 address mapped to IPv6 as IPv4), or "unknown".</summary>
    public static string Key(IPAddress? address) => (address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address)?.ToString() ?? "unknown";
}
