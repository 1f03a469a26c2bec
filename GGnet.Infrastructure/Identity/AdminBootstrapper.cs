using System.Security.Cryptography;
using GGnet.Core.Domain;
using Microsoft.AspNetCore.Identity;

namespace GGnet.Infrastructure.Identity;

/// <summary>
/// On first run: creates the roles and the <c>admin</c> account, with the password from
/// <c>GGNET_ADMIN_PASSWORD</c> or a generated one that is handed back to be printed once.
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

        var generated = string.IsNullOrEmpty(configuredPassword) ? GeneratePassword() : null;
        var admin = new GGnetUser(AdminUserName) { LockoutEnabled = true };
        var created = await users.CreateAsync(admin, configuredPassword ?? generated!);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException(
                $"GGnet can't create the admin account: {Describe(created)} Set {PasswordVariable} to a password of at least 8 characters.");
        }
        Check(await users.AddToRoleAsync(admin, Roles.Admin), "give the admin account its role");
        return generated;
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
