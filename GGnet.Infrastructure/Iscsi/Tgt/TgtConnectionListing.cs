namespace GGnet.Infrastructure.Iscsi.Tgt;

/// <summary>Reads <c>tgtadm --op show --mode conn --tid N</c>: "Session: S" lines, each followed by its "Connection: C" lines.</summary>
public static class TgtConnectionListing
{
    /// <returns>(session id, connection id) pairs, as tgtadm wants them for <c>--op delete --mode conn</c>.</returns>
    public static IReadOnlyList<(string Sid, string Cid)> Parse(string text)
    {
        var pairs = new List<(string, string)>();
        string? session = null;
        foreach (var line in text.Split('\n').Select(l => l.Trim()))
        {
            if (line.StartsWith("Session:", StringComparison.Ordinal) && IsNumber(line["Session:".Length..].Trim()))
            {
                session = line["Session:".Length..].Trim();
            }
            else if (line.StartsWith("Connection:", StringComparison.Ordinal) && session is not null && IsNumber(line["Connection:".Length..].Trim()))
            {
                pairs.Add((session, line["Connection:".Length..].Trim()));
            }
        }
        return pairs;
    }

    private static bool IsNumber(string text) => text.Length > 0 && text.All(char.IsAsciiDigit);
}
