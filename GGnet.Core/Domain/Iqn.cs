using System.Globalization;

namespace GGnet.Core.Domain;

/// <summary>
/// An iSCSI qualified name (RFC 3720 §3.2.6.3.1): <c>iqn.YYYY-MM.reversed.domain[:suffix]</c>,
/// at most 223 bytes, held in lowercase (iSCSI names compare case-insensitively).
/// </summary>
public sealed record Iqn
{
    public const int MaxLength = 223;

    private Iqn(string value) => Value = value;

    public string Value { get; }

    public static Iqn Parse(string? text) =>
        TryParse(text, out var iqn, out var error) ? iqn : throw new FormatException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out Iqn? iqn, [NotNullWhen(false)] out string? error)
    {
        iqn = null;
        error = null;
        var value = (text?.Trim() ?? "").ToLowerInvariant();
        const string Example = "write it like iqn.2024-01.com.example:pc-01";
        if (value.Length == 0)
        {
            error = "An IQN is required.";
            return false;
        }
        if (value.Length > MaxLength)
        {
            error = $"An IQN can be at most {MaxLength} characters long.";
            return false;
        }
        if (!value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.' or ':'))
        {
            error = $"An IQN can only hold letters, digits, '-', '.' and ':'; {Example}.";
            return false;
        }
        if (value.Length < 13 || !value.StartsWith("iqn.", StringComparison.Ordinal) || !IsYearMonth(value.AsSpan(4, 7)) || value[11] != '.')
        {
            error = $"An IQN starts with 'iqn.' and a year-month like 2024-01, then a dot; {Example}.";
            return false;
        }

        var rest = value[12..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        var authority = colon < 0 ? rest : rest[..colon];
        if (authority.Length == 0 || authority.Split('.').Any(label => !IsDomainLabel(label)))
        {
            error = $"After the date an IQN needs a reversed domain name like com.example; {Example}.";
            return false;
        }
        if (colon >= 0 && colon == rest.Length - 1)
        {
            error = $"An IQN's part after ':' can't be empty; {Example}.";
            return false;
        }

        iqn = new Iqn(value);
        return true;
    }

    private static bool IsYearMonth(ReadOnlySpan<char> text) =>
        text[4] == '-'
        && int.TryParse(text[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year >= 1970
        && int.TryParse(text[5..], NumberStyles.None, CultureInfo.InvariantCulture, out var month) && month is >= 1 and <= 12;

    private static bool IsDomainLabel(string label) =>
        label.Length is >= 1 and <= 63 && label[0] != '-' && label[^1] != '-' && !label.Contains(':', StringComparison.Ordinal);

    public override string ToString() => Value;
}
