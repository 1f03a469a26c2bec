using System.Globalization;

namespace GGnet.Core.Domain;

/// <summary>An IPv4 address in strict dotted-quad form (four decimal numbers 0–255, no shorthand, no leading zeros).</summary>
public sealed record Ipv4Address
{
    private Ipv4Address(uint number) => Number = number;

    /// <summary>The address as a 32-bit number, most significant octet first.</summary>
    public uint Number { get; }

    public string Value => string.Join('.', Octets.Select(o => o.ToString(CultureInfo.InvariantCulture)));

    public IReadOnlyList<byte> Octets => [(byte)(Number >> 24), (byte)(Number >> 16), (byte)(Number >> 8), (byte)Number];

    public static Ipv4Address FromNumber(uint number) => new(number);

    public static Ipv4Address Parse(string? text) =>
        TryParse(text, out var address, out var error) ? address : throw new FormatException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out Ipv4Address? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        error = null;
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            error = "An IPv4 address is required.";
            return false;
        }

        var parts = trimmed.Length <= 15 ? trimmed.Split('.') : [];
        if (parts.Length != 4 || !parts.All(IsOctet))
        {
            error = $"'{Printable.Of(trimmed)}' is not an IPv4 address; write four numbers 0–255 like 192.168.1.20.";
            return false;
        }

        address = new Ipv4Address(parts.Aggregate(0u, (acc, part) => (acc << 8) | uint.Parse(part, CultureInfo.InvariantCulture)));
        return true;
    }

    private static bool IsOctet(string part) =>
        part.Length is >= 1 and <= 3
        && part.All(char.IsAsciiDigit)
        && (part.Length == 1 || part[0] != '0')
        && int.Parse(part, CultureInfo.InvariantCulture) <= 255;

    public override string ToString() => Value;
}
