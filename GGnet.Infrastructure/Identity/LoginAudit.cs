using System.Globalization;
using System.Net;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Ports;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Identity;

/// <summary>
/// Logins in the audit, so an admin sees who logged in from which computer, and which computer was made to wait for
/// wrong passwords. A refused login is not written one by one (a customer could fill the audit with them), and never with
/// the user name or password it typed: only the computer's address, once each time it is made to wait. An API token's
/// issue is audited by <see cref="ApiTokenService"/>. Both ways of logging in count their attempts with
/// <see cref="LoginThrottle.Begin"/> and report a failed one here, so the count and its audit never part.
/// </summary>
public sealed class LoginAudit(IAuditLog audit, LoginThrottle throttle, IOptions<AuthOptions> options, TimeProvider clock)
{
    /// <summary>The user logged in on the login page, from this address: his computer's wrong passwords are forgotten.</summary>
    public Task LoggedInAsync(GGnetUser user, IPAddress? from, CancellationToken cancellationToken)
    {
        throttle.Succeeded(from);
        return audit.WriteAsync(new AuditEvent(clock.GetUtcNow().UtcDateTime, user.UserName!, AuditActions.UserLoggedIn, "user", user.Id, null,
            $"from {LoginThrottle.Key(from)}"), cancellationToken);
    }

    /// <summary>The attempt failed (a wrong password, or an account an admin locked; it is counted already): audited when it is the one that makes the computer wait.</summary>
    public async Task FailedAsync(LoginAttempt attempt, CancellationToken cancellationToken)
    {
        if (!throttle.MakesItWait(attempt))
        {
            return;
        }
        var from = attempt.From;
        var (failures, minutes) = (options.Value.MaxFailedLogins, options.Value.LockoutMinutes.ToString(CultureInfo.InvariantCulture));
        await audit.WriteAsync(new AuditEvent(clock.GetUtcNow().UtcDateTime, "system", AuditActions.LoginThrottled, "login", LoginThrottle.Key(from), null,
            $"{failures} wrong passwords within {minutes} minutes: this computer may not log in for {minutes} minutes"), cancellationToken);
    }
}
