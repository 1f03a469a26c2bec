using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using GGnet.Infrastructure.Files;

namespace GGnet.Web.Https;

/// <summary>
/// The certificate GGnet serves its UI with: the admin's (PEM files), or one GGnet made at its first start and keeps
/// in the data directory (<c>https/ggnet.pfx</c>, readable by the service user only; <c>https/ggnet.crt</c> for
/// anyone to compare the fingerprint with).
/// </summary>
public static class ServerCertificate
{
    public const string Folder = "https";

    public static X509Certificate2 Load(HttpsOptions https, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(https.CertificatePath))
        {
            try
            {
                return X509Certificate2.CreateFromPemFile(https.CertificatePath, string.IsNullOrWhiteSpace(https.KeyPath) ? null : https.KeyPath);
            }
            catch (Exception problem) when (problem is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"GGnet can't start: the HTTPS certificate {https.CertificatePath} can't be read " +
                    $"(Https:CertificatePath, Https:KeyPath): {problem.Message}", problem);
            }
        }
        var folder = Path.Combine(dataDirectory, Folder);
        var pfx = Path.Combine(folder, "ggnet.pfx");
        if (!File.Exists(pfx))
        {
            Make(folder, pfx);
        }
        return X509CertificateLoader.LoadPkcs12FromFile(pfx, null);
    }

    /// <summary>The SHA-256 fingerprint as browsers show it (AA:BB:…).</summary>
    public static string Fingerprint(X509Certificate2 certificate) => Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)).Chunk(2)
        .Aggregate(new StringBuilder(), (text, pair) => (text.Length > 0 ? text.Append(':') : text).Append(pair)).ToString();

    // Self-signed, ten years, for this server's name and addresses: the admin compares the fingerprint once.
    private static void Make(string folder, string pfx)
    {
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var name = Dns.GetHostName();
        var request = new CertificateRequest($"CN={name}, O=GGnet", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        names.AddDnsName("localhost");
        foreach (var address in Dns.GetHostAddresses(name).Append(IPAddress.Loopback).Distinct())
        {
            names.AddIpAddress(address);
        }
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
        // Once, before anything is served: waiting here is what start-up does anyway.
        AtomicFile.WriteAsync(Path.Combine(folder, "ggnet.crt"), Encoding.ASCII.GetBytes(certificate.ExportCertificatePem() + "\n"), CancellationToken.None).GetAwaiter().GetResult();
        AtomicFile.WriteAsync(pfx, certificate.Export(X509ContentType.Pkcs12), CancellationToken.None, UnixFileMode.UserRead | UnixFileMode.UserWrite).GetAwaiter().GetResult();
    }
}
