using System.Text;

namespace GGnet.Core.Boot;

/// <summary>
/// Makes free text safe to print in an iPXE <c>echo</c>: iPXE expands <c>${…}</c>, splits on
/// <c>||</c>/<c>&amp;&amp;</c> and ends a command at a newline, so only a plain, bounded set of characters passes.
/// </summary>
public static class IpxeText
{
    public const int MaxLength = 60;

    public static string Safe(string? text)
    {
        var builder = new StringBuilder(MaxLength);
        foreach (var c in (text ?? "").Take(MaxLength))
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is ' ' or '.' or ',' or ':' or '-' or '_' or '(' or ')' or '/' or '+' or '=' ? c : '?');
        }
        return builder.ToString().Trim();
    }
}
