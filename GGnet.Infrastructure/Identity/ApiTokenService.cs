using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Errors;
using GGnet.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Identity;

/// <summary>An issued token: the secret text is shown once and never stored.</summary>
public sealed record IssuedToken(string Token, DateTime ExpiresAt);

/// <summary>A token as the admin's list shows it: never its text or hash.</summary>
public sealed record ApiTokenInfo(int Id, string UserName, string? Label, string Hint, DateTime CreatedAt, DateTime ExpiresAt, DateTime? RevokedAt, string State);

/// <summary>The user behind a valid token.</summary>
public sealed record TokenOwner(string UserId, string UserName, IReadOnlyList<string> Roles);

/// <summary>Issues, checks, lists and revokes API bearer tokens; the database holds only their SHA-256 hashes.</summary>
public sealed class ApiTokenService(
    UserManager<GGnetUser> users,
    SignInManager<GGnetUser> signIn,
    IDbContextFactory<GGnetDbContext> contexts,
    IOptions<AuthOptions> options,
    TimeProvider clock)
{
    public const int MaxLabelLength = 100;
    public const int HintLength = 6;

    /// <summary>Returns null when the user name or password is wrong or the account is locked (by an admin: wrong passwords never lock it, see <see cref="LoginThrottle"/>).</summary>
    public async Task<IssuedToken?> IssueAsync(string userName, string password, string? label, CancellationToken cancellationToken)
    {
        var cleanLabel = CleanLabel(label);
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            return null;
        }
        var check = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: false);
        if (!check.Succeeded)
        {
            return null;
        }
        if ((await users.GetClaimsAsync(user)).Any(c => c.Type == FirstPassword.ClaimType))
        {
            throw new ConflictException($"{FirstPassword.MustChangeSentence} Log in on GGnet's web page once, which asks for it, then ask for a token again.");
        }

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = clock.GetUtcNow().UtcDateTime;
        var expiresAt = now.AddHours(options.Value.TokenLifetimeHours);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var issued = new ApiToken { UserId = user.Id, TokenHash = Hash(token), Label = cleanLabel, Hint = token[..HintLength], CreatedAt = now, ExpiresAt = expiresAt };
        db.ApiTokens.Add(issued);
        await db.SaveChangesAsync(cancellationToken);
        db.AuditEvents.Add(new AuditEvent(now, user.UserName!, AuditActions.TokenIssued, "token", issued.Id.ToString(CultureInfo.InvariantCulture), null,
            $"user={user.UserName} label={cleanLabel ?? "-"} expires={expiresAt.ToString("u", CultureInfo.InvariantCulture)}"));
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedToken(token, expiresAt);
    }

    /// <summary>Every token, newest first, with whether it still works.</summary>
    public async Task<IReadOnlyList<ApiTokenInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.ApiTokens.AsNoTracking()
            .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new { Token = t, u.UserName })
            .OrderByDescending(r => r.Token.Id)
            .ToListAsync(cancellationToken);
        return rows.Select(r => new ApiTokenInfo(r.Token.Id, r.UserName!, r.Token.Label, r.Token.Hint, r.Token.CreatedAt, r.Token.ExpiresAt, r.Token.RevokedAt,
            StateOf(r.Token, now))).ToList();
    }

    /// <summary>Ends a token now: the next request with it gets 401. Revoking a revoked token changes nothing.</summary>
    public async Task<ApiTokenInfo> RevokeAsync(int id, string actor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id, cancellationToken)
            ?? throw new NotFoundException($"There is no API token {id}.");
        var owner = await db.Users.Where(u => u.Id == token.UserId).Select(u => u.UserName).FirstAsync(cancellationToken);
        if (token.RevokedAt is null)
        {
            var before = StateOf(token, now);
            token.RevokedAt = now;
            db.AuditEvents.Add(new AuditEvent(now, actor, AuditActions.TokenRevoked, "token", id.ToString(CultureInfo.InvariantCulture),
                $"user={owner} label={token.Label ?? "-"} state={before}", "state=revoked"));
            await db.SaveChangesAsync(cancellationToken);
        }
        return new ApiTokenInfo(token.Id, owner!, token.Label, token.Hint, token.CreatedAt, token.ExpiresAt, token.RevokedAt, StateOf(token, now));
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

    private static string StateOf(ApiToken token, DateTime now) =>
        token.RevokedAt is not null ? "revoked" : token.ExpiresAt <= now ? "expired" : "active";

    private static string? CleanLabel(string? label)
    {
        var text = label?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (text.Length > MaxLabelLength || text.Any(char.IsControl))
        {
            throw new InvalidInputException(new Dictionary<string, string[]>
            {
                ["label"] = [$"A token's label is at most {MaxLabelLength} characters on one line."],
            });
        }
        return text;
    }

    private static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
