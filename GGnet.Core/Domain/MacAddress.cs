using System.Buffers;

namespace GGnet.Core.Domain;

/// <summary>
/// A network card's hardware address. Accepts <c>aa:bb:cc:dd:ee:ff</c>, <c>AA-BB-CC-DD-EE-FF</c>,
/// <c>aabb.ccdd.eeff</c> and <c>aabbccddeeff</c>; always holds the lowercase colon form.
/// </summary>
public sealed record MacAddress
{
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    private MacAddress(string value) => Value = value;

    /// <summary>Canonical form: lowercase, colon separated.</summary>
    public string Value { get; }

    /// <summary>The form iPXE's <c>${mac:hexhyp}</c> produces: lowercase, hyphen separated.</summary>
    public string Hyphenated => Value.Replace(':', '-');

    public static MacAddress Parse(string? text) =>
        TryParse(text, out var mac, out var error) ? mac : throw new FormatException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out MacAddress? mac, [NotNullWhen(false)] out string? error) =>
        TryParse(text.AsSpan(), out mac, out error);

    /// <summary>As <see cref="TryParse(string?, out MacAddress?, out string?)"/>; a PC's boot request names it in its path.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out MacAddress? mac, [NotNullWhen(false)] out string? error)
    {
        mac = null;
        error = null;
        var trimmed = text.Trim();
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

        Span<byte> octets = stackalloc byte[6];
        if (!TryReadOctets(trimmed, octets))
        {
            error = $"'{Printable.Of(trimmed.ToString())}' is not a MAC address; write it like aa:bb:cc:dd:ee:ff.";
            return false;
        }
        if (!octets.ContainsAnyExcept((byte)0))
        {
            error = "00:00:00:00:00:00 is not a network card's address.";
            return false;
        }
        if ((octets[0] & 1) == 1)
        {
            error = "This is a multicast or broadcast address, not a network card's address.";
            return false;
        }

        mac = new MacAddress(Canonical(octets));
        return true;
    }

    // Accepts exactly one separator style used consistently: ':' or '-' every 2 digits, '.' every 4, or none. A PC asks
    // for its script by its address thousands of times a second in a storm: nothing here allocates.
    private static bool TryReadOctets(ReadOnlySpan<char> text, Span<byte> octets)
    {
        Span<char> hex = stackalloc char[12];
        switch (text.Length)
        {
            case 12:
                text.CopyTo(hex);
                break;
            case 14 when text[4] == '.' && text[9] == '.':
                text[..4].CopyTo(hex);
                text[5..9].CopyTo(hex[4..]);
                text[10..].CopyTo(hex[8..]);
                break;
            case 17 when IsEvenlySeparated(text, ':') || IsEvenlySeparated(text, '-'):
                for (var i = 0; i < 6; i++)
                {
                    text.Slice(i * 3, 2).CopyTo(hex[(i * 2)..]);
                }
                break;
            default:
                return false;
        }
        return !hex.ContainsAnyExcept(HexDigits) && Convert.FromHexString(hex, octets, out _, out var written) == OperationStatus.Done && written == 6;
    }

    private static bool IsEvenlySeparated(ReadOnlySpan<char> text, char separator)
    {
        for (var i = 0; i < 5; i++)
        {
            if (text[(i * 3) + 2] != separator)
            {
                return false;
            }
        }
        return true;
    }

    // Lowercase, colon separated.
    private static string Canonical(ReadOnlySpan<byte> octets)
    {
        Span<char> text = stackalloc char[17];
        for (var i = 0; i < 6; i++)
        {
            text[i * 3] = "0123456789abcdef"[octets[i] >> 4];
            text[(i * 3) + 1] = "0123456789abcdef"[octets[i] & 0xf];
            if (i < 5)
            {
                text[(i * 3) + 2] = ':';
            }
        }
        return new string(text);
    }

    public override string ToString() => Value;
}
