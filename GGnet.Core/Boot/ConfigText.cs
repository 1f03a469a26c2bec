using System.Text;

namespace GGnet.Core.Boot;

/// <summary>Quoting for values placed in daemon configuration files.</summary>
public static class ConfigText
{
    /// <summary>
    /// A double-quoted dhcpd/dnsmasq string. Backslash and quote are escaped; anything that is not printable
    /// ASCII is refused, because no value GGnet writes needs it and a newline would start a new statement.
    /// </summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                throw new ArgumentException("A configuration value can only hold printable ASCII characters.", nameof(value));
            }
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }
            builder.Append(c);
        }
        return builder.Append('"').ToString();
    }
}
