using System.Net;

namespace GGnet.Infrastructure.Identity;

/// <summary>One login attempt from an address (<see cref="LoginThrottle.Begin"/>): its number in the address's window, and the wait when it was refused.</summary>
public sealed record LoginAttempt(IPAddress? From, int Number, TimeSpan? Wait);
