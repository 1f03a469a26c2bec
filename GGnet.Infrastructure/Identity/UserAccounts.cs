using GGnet.Core.Audit;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Errors;
using GGnet.Core.Ports;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace GGnet.Infrastructure.Identity;

public sealed record UserAccount(string Id, string UserName, string Role, bool LockedOut);

/// <summary>Lists and creates the people who may log in, each with one role; lets each change their own password.</summary>
public sealed class UserAccounts(UserManager<GGnetUser> users, IAuditLog audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<UserAccount>> ListAsync(CancellationToken cancellationToken)
    {
        var all = await users.Users.OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var accounts = new List<UserAccount>(all.Count);
        foreach (var user in all)
        {
            var role = (await users.GetRolesAsync(user)).FirstOrDefault() ?? Roles.Viewer;
            accounts.Add(new UserAccount(user.Id, user.UserName!, role, user.LockoutEnd > now));
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
        await audit.WriteAsync(new AuditEvent(clock.GetUtcNow().UtcDateTime, userName, AuditActions.PasswordChanged, "user", user.Id, null, $"name={userName}"), cancellationToken);
    }
}
