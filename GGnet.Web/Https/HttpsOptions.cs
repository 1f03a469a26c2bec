using System.ComponentModel.DataAnnotations;

namespace GGnet.Web.Https;

/// <summary>
/// Section "Https": the admin UI and the API over HTTPS. Plain HTTP then serves the PCs' boot files (iPXE fetches
/// them over HTTP) and the health check only; everything else is sent to HTTPS.
/// </summary>
public sealed class HttpsOptions
{
    public const string Section = "Https";

    /// <summary>The HTTPS port; 0 leaves GGnet on plain HTTP (a lab, a test).</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>The address the UI listens on: a management address apart from the boot network, or 0.0.0.0 for every one.</summary>
    public string Address { get; set; } = "0.0.0.0";

    /// <summary>The admin's certificate (PEM); without it GGnet makes one at its first start and shows its fingerprint.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The private key of <see cref="CertificatePath"/> (PEM), when the certificate file does not hold it.</summary>
    public string? KeyPath { get; set; }

    public bool Enabled => Port > 0;
}
