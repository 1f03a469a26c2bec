using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Identity;

/// <summary>An issued token: the secret text is shown once and never stored.</summary>
public sealed record IssuedToken(string Token, DateTime ExpiresAt);

/// <summary>The user behind a valid token.</summary>
public sealed record TokenOwner(string UserId, string UserName, IReadOnlyList<string> Roles);

/// <summary>Issues and checks API bearer tokens; the database holds only their SHA-256 hashes.</summary>
public sealed class ApiTokenService(
    UserManager<GGnetUser> users,
    SignInManager<GGnetUser> signIn,
    IDbContextFactory<GGnetDbContext> contexts,
    IOptions<AuthOptions> options,
    TimeProvider clock)
{
    /// <summary>Returns null when the user name or password is wrong or the account is locked.</summary>
    public async Task<IssuedToken?> IssueAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            return null;
        }
        var check = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (!check.Succeeded)
        {
            return null;
        }

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = clock.GetUtcNow().UtcDateTime;
        var expiresAt = now.AddHours(options.Value.TokenLifetimeHours);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.ApiTokens.Add(new ApiToken { UserId = user.Id, TokenHash = Hash(token), CreatedAt = now, ExpiresAt = expiresAt });
        db.AuditEvents.Add(new AuditEvent(now, user.UserName!, AuditActions.TokenIssued, "user", user.Id, null, $"expires={expiresAt.ToString("u", CultureInfo.InvariantCulture)}"));
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedToken(token, expiresAt);
    }

    /// <summary>Returns the token's owner, or null when the token is unknown, expired or revoked.</summary>
    public async Task<TokenOwner?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (token.Length is 0 or > 128)
        {
            return null;
        }
        var hash = Hash(token);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var owner = await db.ApiTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash && t.RevokedAt == null && t.ExpiresAt > now)
            .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => u)
            .FirstOrDefaultAsync(cancellationToken);
        if (owner is null || await users.IsLockedOutAsync(owner))
        {
            return null;
        }
        var roles = await users.GetRolesAsync(owner);
        return new TokenOwner(owner.Id, owner.UserName!, roles.ToList());
    }

    private static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
