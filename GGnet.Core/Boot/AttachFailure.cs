using System.Globalization;

namespace GGnet.Core.Boot;

/// <summary>
/// iPXE's error number for a disk the PC could not attach, as its script reports it back (<c>?attach-error=</c>),
/// with a sentence an admin can act on. iPXE keeps the POSIX-like cause in bits 30–24 of the number: a refused CHAP
/// login arrives as 0x41… ("Operation not permitted").
/// </summary>
public sealed record AttachFailure(uint Code)
{
    /// <summary>Accepts what iPXE prints for <c>${errno}</c>: decimal, or hexadecimal with 0x. Null when absent or malformed.</summary>
    public static AttachFailure? TryParse(string? text)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value) || value.Length > 12)
        {
            return null;
        }
        var parsed = value.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) ? hex : (uint?)null
            : uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
        return parsed is { } code and not 0 ? new AttachFailure(code) : null;
    }

    public string Hex => Code.ToString("x8", CultureInfo.InvariantCulture);

    public string Sentence => $"The PC could not attach its disk: {Cause} (iPXE error {Hex}, https://ipxe.org/{Hex}).";

    private string Cause => ((Code >> 24) & 0x7f) switch
    {
        0x02 or 0x41 => "the target refused its login. With CHAP on, the PC's credentials don't match the target's: stop and start the session so both get the machine's current secrets",
        0x4c => "the target did not answer in time. Check that the iSCSI service runs and port 3260 is open",
        0x0e or 0x0f => "the connection to the target was refused or reset. Check that the iSCSI service runs and listens on the portal address",
        0x2c or 0x2d => "the target or its disk was not found. The session may have stopped meanwhile",
        _ => "iPXE gave an error GGnet does not know",
    };
}
