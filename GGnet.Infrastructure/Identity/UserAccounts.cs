using GGnet.Core.Audit;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Errors;
using GGnet.Core.Ports;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace GGnet.Infrastructure.Identity;

/// <param name="Disabled">An admin disabled the account: it can't log in, and its cookies and API tokens no longer work.</param>
public sealed record UserAccount(string Id, string UserName, string Role, bool Disabled);

/// <summary>
/// The people who may log in, each with one role: listed, created, given another role or a new password, disabled and
/// enabled again, deleted (all by an admin, all audited); each changes their own password. No change may leave GGnet
/// without an admin who can log in.
/// </summary>
public sealed class UserAccounts(UserManager<GGnetUser> users, IDbContextFactory<GGnet.Infrastructure.Persistence.GGnetDbContext> contexts, IAuditLog audit, FirstPassword firstPassword,
    TimeProvider clock)
{
    public async Task<IReadOnlyList<UserAccount>> ListAsync(CancellationToken cancellationToken)
    {
        var all = await users.Users.OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        var accounts = new List<UserAccount>(all.Count);
        foreach (var user in all)
        {
            accounts.Add(await AccountOfAsync(user));
        }
        return accounts;
    }

    public async Task<UserAccount> CreateAsync(string? userName, string? password, string? role, string actor, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var name = userName?.Trim() ?? "";
        if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@'))
        {
            errors.Add("username", "A user name is 1–64 letters, digits, '.', '-', '_' or '@'.");
        }
        var matchedRole = Roles.All.FirstOrDefault(r => string.Equals(r, role?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (matchedRole is null)
        {
            errors.Add("role", "The role is one of Admin, Operator or Viewer.");
        }
        if (string.IsNullOrEmpty(password))
        {
            errors.Add("password", "A password is required.");
        }
        errors.ThrowIfAny();

        if (await users.FindByNameAsync(name) is not null)
        {
            throw new ConflictException($"A user named '{name}' already exists.");
        }
        var user = new GGnetUser(name) { LockoutEnabled = true };
        var created = await users.CreateAsync(user, password!);
        if (!created.Succeeded)
        {
            throw new InvalidInputException(new Dictionary<string, string[]> { ["password"] = created.Errors.Select(e => e.Description).ToArray() });
        }
        await users.AddToRoleAsync(user, matchedRole!);
        await audit.WriteAsync(new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.UserCreated, "user", user.Id, null, $"name={name} role={matchedRole}"), cancellationToken);
        return new UserAccount(user.Id, name, matchedRole!, false);
    }

    /// <summary>Gives the user another role; their cookies end at once (they log in again with the new role).</summary>
    public async Task<UserAccount> ChangeRoleAsync(string id, string? role, string actor, CancellationToken cancellationToken)
    {
        var matchedRole = Roles.All.FirstOrDefault(r => string.Equals(r, role?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidInputException(new Dictionary<string, string[]> { ["role"] = ["The role is one of Admin, Operator or Viewer."] });
        var user = await FindAsync(id);
        var current = (await users.GetRolesAsync(user)).FirstOrDefault() ?? Roles.Viewer;
        if (current == matchedRole)
        {
            return await AccountOfAsync(user);
        }
        if (current == Roles.Admin)
        {
            await RequireAnotherAdminAsync(user, $"'{user.UserName}' is the only admin who can log in: make another user an admin first.");
        }
        await users.RemoveFromRolesAsync(user, await users.GetRolesAsync(user));
        await users.AddToRoleAsync(user, matchedRole);
        await users.UpdateSecurityStampAsync(user);
        await WriteAsync(actor, AuditActions.UserRoleChanged, user, $"role={current}", $"role={matchedRole}", cancellationToken);
        return await AccountOfAsync(user);
    }

    /// <summary>Sets a new password for a user who lost theirs; their cookies end at once.</summary>
    public async Task ResetPasswordAsync(string id, string? password, string actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(password))
        {
            throw new InvalidInputException(new Dictionary<string, string[]> { ["password"] = ["Type the new password."] });
        }
        var user = await FindAsync(id);
        // Checked before the old one goes: a refused new password leaves the account as it was.
        var problems = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            problems.AddRange((await validator.ValidateAsync(users, user, password)).Errors.Select(e => e.Description));
        }
        if (problems.Count > 0)
        {
            throw new InvalidInputException(new Dictionary<string, string[]> { ["password"] = problems.ToArray() });
        }
        await users.RemovePasswordAsync(user);
        var added = await users.AddPasswordAsync(user, password);
        if (!added.Succeeded)
        {
            throw new InvalidInputException(new Dictionary<string, string[]> { ["password"] = added.Errors.Select(e => e.Description).ToArray() });
        }
        await WriteAsync(actor, AuditActions.UserPasswordReset, user, null, $"name={user.UserName}", cancellationToken);
    }

    /// <summary>
    /// Disables the account (it can't log in; its cookies end at the next request and its API tokens at once) or
    /// enables it again.
    /// </summary>
    public async Task<UserAccount> SetDisabledAsync(string id, bool disabled, string actor, CancellationToken cancellationToken)
    {
        var user = await FindAsync(id);
        if (disabled && IsDisabled(user))
        {
            return await AccountOfAsync(user);
        }
        if (disabled)
        {
            await RequireAnotherAdminAsync(user, $"'{user.UserName}' is the only admin who can log in: it can't be disabled.");
        }
        user.LockoutEnabled = true;
        await users.SetLockoutEndDateAsync(user, disabled ? DateTimeOffset.MaxValue : null);
        await users.ResetAccessFailedCountAsync(user);
        await users.UpdateSecurityStampAsync(user);
        await WriteAsync(actor, disabled ? AuditActions.UserDisabled : AuditActions.UserEnabled, user, null, $"name={user.UserName}", cancellationToken);
        return await AccountOfAsync(user);
    }

    /// <summary>Deletes the account and its API tokens.</summary>
    public async Task DeleteAsync(string id, string actor, CancellationToken cancellationToken)
    {
        var user = await FindAsync(id);
        if (string.Equals(user.UserName, actor, StringComparison.Ordinal))
        {
            throw new ConflictException("You can't delete your own account: another admin can.");
        }
        await RequireAnotherAdminAsync(user, $"'{user.UserName}' is the only admin who can log in: it can't be deleted.");
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            await db.ApiTokens.Where(t => t.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        }
        var deleted = await users.DeleteAsync(user);
        if (!deleted.Succeeded)
        {
            throw new ConflictException($"'{user.UserName}' could not be deleted: {string.Join(" ", deleted.Errors.Select(e => e.Description))}");
        }
        await WriteAsync(actor, AuditActions.UserDeleted, user, $"name={user.UserName}", null, cancellationToken);
    }

    // Wrong passwords never lock an account (LoginThrottle): a lockout is an admin's disabling.
    private bool IsDisabled(GGnetUser user) => user.LockoutEnd is { } end && end > clock.GetUtcNow();

    private async Task<GGnetUser> FindAsync(string id) =>
        await users.FindByIdAsync(id) ?? throw new NotFoundException($"There is no user with id '{id}'.");

    private async Task<UserAccount> AccountOfAsync(GGnetUser user) =>
        new(user.Id, user.UserName!, (await users.GetRolesAsync(user)).FirstOrDefault() ?? Roles.Viewer, IsDisabled(user));

    // Changing this user must leave at least one enabled admin other than them when they are one.
    private async Task RequireAnotherAdminAsync(GGnetUser user, string refusal)
    {
        if (!await users.IsInRoleAsync(user, Roles.Admin))
        {
            return;
        }
        var admins = await users.GetUsersInRoleAsync(Roles.Admin);
        if (!admins.Any(a => a.Id != user.Id && !IsDisabled(a)))
        {
            throw new ConflictException(refusal);
        }
    }

    private Task WriteAsync(string actor, string action, GGnetUser user, string? before, string? after, CancellationToken cancellationToken) =>
        audit.WriteAsync(new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, action, "user", user.Id, before, after), cancellationToken);

    /// <summary>Changes the user's own password: the current one must be right, the new one must meet the password rules.</summary>
    public async Task ChangePasswordAsync(string userName, string? currentPassword, string? newPassword, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(currentPassword))
        {
            errors.Add("currentPassword", "Type your current password.");
        }
        if (string.IsNullOrEmpty(newPassword))
        {
            errors.Add("newPassword", "Type the new password.");
        }
        else if (newPassword == currentPassword)
        {
            errors.Add("newPassword", "The new password is the current one; choose another.");
        }
        errors.ThrowIfAny();

        var user = await users.FindByNameAsync(userName) ?? throw new NotFoundException($"There is no user named '{userName}'.");
        var changed = await users.ChangePasswordAsync(user, currentPassword!, newPassword!);
        if (!changed.Succeeded)
        {
            throw new InvalidInputException(changed.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch))
                ? new Dictionary<string, string[]> { ["currentPassword"] = ["The current password is not right."] }
                : new Dictionary<string, string[]> { ["newPassword"] = changed.Errors.Select(e => e.Description).ToArray() });
        }
        if ((await users.GetClaimsAsync(user)).FirstOrDefault(c => c.Type == FirstPassword.ClaimType) is { } generated)
        {
            await users.RemoveClaimAsync(user, generated);
            firstPassword.Forget();
        }
        await audit.WriteAsync(new AuditEvent(clock.GetUtcNow().UtcDateTime, userName, AuditActions.PasswordChanged, "user", user.Id, null, $"name={userName}"), cancellationToken);
    }
}
