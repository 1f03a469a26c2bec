namespace GGnet.Core.Ports;

/// <summary>Encrypts secrets GGnet keeps (CHAP secrets) so the database never holds them readable.</summary>
public interface ISecretProtector
{
    string Protect(string secret);

    /// <summary>Throws <see cref="System.Security.Cryptography.CryptographicException"/> when the keys that protected it are gone.</summary>
    string Unprotect(string protectedSecret);
}
