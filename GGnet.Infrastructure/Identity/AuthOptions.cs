using System.ComponentModel.DataAnnotations;

namespace GGnet.Infrastructure.Identity;

/// <summary>Login and API token settings. Section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>How long an API token stays valid.</summary>
    [Range(1, 24 * 365)]
    public int TokenLifetimeHours { get; set; } = 24;

    /// <summary>Wrong passwords from one client address within <see cref="LockoutMinutes"/> before it must wait (see <see cref="LoginThrottle"/>).</summary>
    [Range(1, 100)]
    public int MaxFailedLogins { get; set; } = 5;

    /// <summary>The window wrong passwords are counted in, and how long an address then waits.</summary>
    [Range(1, 24 * 60)]
    public int LockoutMinutes { get; set; } = 5;
}
