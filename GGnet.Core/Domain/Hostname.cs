namespace GGnet.Core.Domain;

/// <summary>
/// A machine name that is also a valid host name label (RFC 1123): 1–63 letters, digits and hyphens,
/// not starting or ending with a hyphen. Held in lowercase because host names are case-insensitive.
/// </summary>
public sealed record Hostname
{
    public const int MaxLength = 63;

    private Hostname(string value) => Value = value;

    public string Value { get; }

    public static Hostname Parse(string? text) =>
        TryParse(text, out var name, out var error) ? name : throw new FormatException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out Hostname? name, [NotNullWhen(false)] out string? error)
    {
        name = null;
        error = null;
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            error = "A name is required.";
            return false;
        }
        if (trimmed.Length > MaxLength)
        {
            error = $"A name can be at most {MaxLength} characters long.";
            return false;
        }
        if (!trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            error = "A name can only hold letters a–z, digits and hyphens (it becomes the PC's host name).";
            return false;
        }
        if (trimmed[0] == '-' || trimmed[^1] == '-')
        {
            error = "A name can't start or end with a hyphen.";
            return false;
        }

        name = new Hostname(trimmed.ToLowerInvariant());
        return true;
    }

    public override string ToString() => Value;
}
