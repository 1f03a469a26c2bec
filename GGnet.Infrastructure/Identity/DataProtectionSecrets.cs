using GGnet.Core.Ports;
using Microsoft.AspNetCore.DataProtection;

namespace GGnet.Infrastructure.Identity;

/// <summary>
/// Encrypts CHAP secrets with ASP.NET Core Data Protection. The keys live with GGnet's data (and in its backups), so
/// a restart or a restore still decrypts them.
/// </summary>
public sealed class DataProtectionSecrets(IDataProtectionProvider provider) : ISecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("GGnet.ChapSecrets.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
