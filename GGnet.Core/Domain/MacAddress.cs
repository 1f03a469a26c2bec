using System.Globalization;

namespace GGnet.Core.Domain;

/// <summary>
/// A network card's hardware address. Accepts <c>aa:bb:cc:dd:ee:ff</c>, <c>AA-BB-CC-DD-EE-FF</c>,
/// <c>aabb.ccdd.eeff</c> and <c>aabbccddeeff</c>; always holds the lowercase colon form.
/// </summary>
public sealed record MacAddress
{
    private MacAddress(string value) => Value = value;

    /// <summary>Canonical form: lowercase, colon separated.</summary>
    public string Value { get; }

    /// <summary>The form iPXE's <c>${mac:hexhyp}</c> produces: lowercase, hyphen separated.</summary>
    public string Hyphenated => Value.Replace(':', '-');

    public static MacAddress Parse(string? text) =>
        TryParse(text, out var mac, out var error) ? mac : throw new FormatException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out MacAddress? mac, [NotNullWhen(false)] out string? error)
    {
        mac = null;
        error = null;
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            error = "A MAC address is required.";
            return false;
        }
        if (trimmed.Length > 17)
        {
            error = "A MAC address has 12 hexadecimal digits, like aa:bb:cc:dd:ee:ff.";
            return false;
        }

        var hex = DigitsOf(trimmed);
        if (hex is null)
        {
            error = $"'{Printable.Of(trimmed)}' is not a MAC address; write it like aa:bb:cc:dd:ee:ff.";
            return false;
        }

        var octets = Convert.FromHexString(hex);
        if (octets.All(b => b == 0))
        {
            error = "00:00:00:00:00:00 is not a network card's address.";
            return false;
        }
        if ((octets[0] & 1) == 1)
        {
            error = "This is a multicast or broadcast address, not a network card's address.";
            return false;
        }

        mac = new MacAddress(string.Join(':', octets.Select(b => b.ToString("x2", CultureInfo.InvariantCulture))));
        return true;
    }

    // Accepts exactly one separator style used consistently: ':' or '-' every 2 digits, '.' every 4, or none.
    private static string? DigitsOf(string text)
    {
        string? hex = text.Length switch
        {
            12 => text,
            14 when text[4] == '.' && text[9] == '.' => text.Replace(".", "", StringComparison.Ordinal),
            17 when IsEvenlySeparated(text, ':') || IsEvenlySeparated(text, '-') => text.Replace(text[2].ToString(), "", StringComparison.Ordinal),
            _ => null,
        };
        return hex is { Length: 12 } && hex.All(char.IsAsciiHexDigit) ? hex : null;
    }

    private static bool IsEvenlySeparated(string text, char separator) =>
        Enumerable.Range(0, 5).All(i => text[(i * 3) + 2] == separator);

    public override string ToString() => Value;
}
