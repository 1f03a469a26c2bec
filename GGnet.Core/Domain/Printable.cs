using System.Text;

namespace GGnet.Core.Domain;

/// <summary>Makes user text safe to quote inside an error sentence: no control characters, bounded length.</summary>
public static class Printable
{
    public static string Of(string text, int maxLength = 40)
    {
        var builder = new StringBuilder(Math.Min(text.Length, maxLength) + 1);
        foreach (var c in text.Take(maxLength))
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }
        if (text.Length > maxLength)
        {
            builder.Append('…');
        }
        return builder.ToString();
    }
}
