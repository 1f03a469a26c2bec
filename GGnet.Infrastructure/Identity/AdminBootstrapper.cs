using System.Security.Cryptography;
using GGnet.Core.Domain;
using Microsoft.AspNetCore.Identity;

namespace GGnet.Infrastructure.Identity;

/// <summary>
/// On first run: creates the roles and the <c>admin</c> account, with the password from
/// <c>GGNET_ADMIN_PASSWORD</c> or a generated one, which is handed back and must be changed at first login.
/// </summary>
public sealed class AdminBootstrapper(UserManager<GGnetUser> users, RoleManager<IdentityRole> roles)
{
    public const string AdminUserName = "admin";
    public const string PasswordVariable = "GGNET_ADMIN_PASSWORD";

    /// <summary>Returns the generated password when one was made, otherwise null.</summary>
    public async Task<string?> EnsureAdminAsync(string? configuredPassword)
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), $"create the role {role}");
            }
        }

        if (await users.FindByNameAsync(AdminUserName) is not null)
        {
            return null;
        }

        // An empty setting (GGNET_ADMIN_PASSWORD= left in the environment file) asks for a generated one too.
        var generated = string.IsNullOrEmpty(configuredPassword) ? GeneratePassword() : null;
        var admin = new GGnetUser(AdminUserName) { LockoutEnabled = true };
        var created = await users.CreateAsync(admin, generated ?? configuredPassword!);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException(
                $"GGnet can't create the admin account: {Describe(created)} Set {PasswordVariable} to a password of at least 8 characters.");
        }
        Check(await users.AddToRoleAsync(admin, Roles.Admin), "give the admin account its role");
        if (generated is not null)
        {
            Check(await users.AddClaimAsync(admin, FirstPassword.Claim), "mark the generated password as one to change");
        }
        return generated;
    }

    /// <summary>
    /// For an admin who lost the password (run on the server, so by someone with root there): a new generated one,
    /// the account enabled again, and the new password to be changed at the next login like a first one.
    /// </summary>
    public async Task<string> ResetAdminAsync()
    {
        var admin = await users.FindByNameAsync(AdminUserName)
            ?? throw new InvalidOperationException("GGnet can't reset the admin password: there is no admin account yet. Start GGnet once; it makes one.");
        var password = GeneratePassword();
        Check(await users.RemovePasswordAsync(admin), "remove the admin's old password");
        Check(await users.AddPasswordAsync(admin, password), "give the admin a new password");
        if (!(await users.GetClaimsAsync(admin)).Any(c => c.Type == FirstPassword.ClaimType))
        {
            Check(await users.AddClaimAsync(admin, FirstPassword.Claim), "mark the new password as one to change");
        }
        Check(await users.SetLockoutEndDateAsync(admin, null), "enable the admin account");
        return password;
    }

    // 18 characters from an alphabet without look-alikes, plus one of each class Identity asks for.
    private static string GeneratePassword()
    {
        const string Alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var body = RandomNumberGenerator.GetString(Alphabet, 18);
        return body + "-a7K";
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"GGnet can't {what}: {Describe(result)}");
        }
    }

    internal static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));
}
