using System.Net;
using System.Text;

namespace GGnet.Infrastructure.Lab;

/// <summary>
/// A lab PC's request for a boot file, as the lab relay lets it through: GET or HEAD of <c>/boot/…</c> in origin form,
/// HTTP/1.0 or 1.1, every line ended by CRLF, no body. The path is plain (letters, digits, <c>. _ -</c> and single
/// slashes; no <c>%</c>-escape, no dot segment), so what GGnet routes is what was checked. Nothing the PC sent is
/// passed on as it came: <see cref="Rebuild"/> writes a new request from the parsed parts.
/// </summary>
public sealed record BootRequestHead(string Method, string Target, string Version, string? UserAgent)
{
    public const int MaxTargetLength = 1024;
    private const int MaxUserAgentLength = 200;

    /// <summary>The head (request line and headers, through the empty line); null when it is not a plain boot request.</summary>
    public static BootRequestHead? Parse(ReadOnlySpan<byte> head)
    {
        // Printable ASCII and CRLF only; a CR or LF anywhere but in a CRLF pair is how requests get smuggled.
        for (var i = 0; i < head.Length; i++)
        {
            var b = head[i];
            var pairedCr = b == '\r' && i + 1 < head.Length && head[i + 1] == '\n';
            var pairedLf = b == '\n' && i > 0 && head[i - 1] == '\r';
            if (!(b is >= 0x20 and < 0x7f || pairedCr || pairedLf))
            {
                return null;
            }
        }
        var text = Encoding.ASCII.GetString(head);
        if (!text.EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            return null;
        }
        var lines = text[..^4].Split("\r\n");
        var request = lines[0].Split(' ');
        if (request.Length != 3 || request[0] is not ("GET" or "HEAD") || request[2] is not ("HTTP/1.1" or "HTTP/1.0") || !IsPlainBootTarget(request[1]))
        {
            return null;
        }
        string? userAgent = null;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            // No folded lines (a leading space or tab), no header without a name.
            if (colon <= 0 || !line[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return null;
            }
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(' ', '\t');
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
                || (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && value != "0"))
            {
                return null;
            }
            if (name.Equals("User-Agent", StringComparison.OrdinalIgnoreCase) && value.Length <= MaxUserAgentLength)
            {
                userAgent = value;
            }
        }
        return new BootRequestHead(request[0], request[1], request[2], userAgent);
    }

    /// <summary>The request GGnet gets: this one's method, target and version, the lab server as host, and the PC's address from the relay.</summary>
    public byte[] Rebuild(IPAddress server, IPAddress pc)
    {
        var head = new StringBuilder();
        head.Append(Method).Append(' ').Append(Target).Append(' ').Append(Version).Append("\r\n");
        head.Append("Host: ").Append(server).Append("\r\n");
        if (UserAgent is not null)
        {
            head.Append("User-Agent: ").Append(UserAgent).Append("\r\n");
        }
        head.Append(LabHttpForwarder.PcAddressHeader).Append(": ").Append(pc).Append("\r\n\r\n");
        return Encoding.ASCII.GetBytes(head.ToString());
    }

    // "/boot/" and a plain path below it, then an optional query of URL characters (its %-escapes are only ever data).
    private static bool IsPlainBootTarget(string target)
    {
        if (target.Length > MaxTargetLength || !target.StartsWith("/boot/", StringComparison.Ordinal))
        {
            return false;
        }
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? target : target[..question];
        var query = question < 0 ? "" : target[(question + 1)..];
        var segments = path["/boot/".Length..].Split('/');
        return segments.All(s => s.Length > 0 && s is not ("." or "..") && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            && query.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '~' or '=' or '&' or '%' or '+' or ':');
    }
}
