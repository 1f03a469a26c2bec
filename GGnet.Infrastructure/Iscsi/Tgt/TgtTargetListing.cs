using GGnet.Core.Domain;
using GGnet.Core.Iscsi;

namespace GGnet.Infrastructure.Iscsi.Tgt;

/// <summary>Reads <c>tgtadm --op show --mode target</c>: targets with their tid, LUN files, ACL and I_T nexuses.</summary>
public static class TgtTargetListing
{
    /// <param name="Accounts">The CHAP accounts bound to the target (an outgoing one without its "(outgoing)" mark).</param>
    public sealed record Entry(int Tid, IscsiTargetState State, IReadOnlyList<string> Accounts);

    public static IReadOnlyList<Entry> Parse(string text)
    {
        var entries = new List<Entry>();
        int? tid = null;
        Iqn? iqn = null;
        var luns = new List<string>();
        var acl = new List<string>();
        var connections = new List<IscsiConnection>();
        var accounts = new List<string>();
        string? section = null;
        string? initiator = null;
        string? nexus = null;

        void Flush()
        {
            if (tid is { } t && iqn is not null)
            {
                if (initiator is not null)
                {
                    connections.Add(new IscsiConnection(initiator, null, nexus));
                }
                entries.Add(new Entry(t, new IscsiTargetState(iqn, luns.ToList(), acl.ToList(), connections.ToList()), accounts.ToList()));
            }
            (tid, iqn, section, initiator, nexus) = (null, null, null, null, null);
            accounts.Clear();
            luns.Clear();
            acl.Clear();
            connections.Clear();
        }

        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd();
            var trimmed = line.Trim();
            if (line.StartsWith("Target ", StringComparison.Ordinal))
            {
                Flush();
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 7 && int.TryParse(line.AsSpan(7, colon - 7), System.Globalization.CultureInfo.InvariantCulture, out var parsedTid)
                    && Iqn.TryParse(line[(colon + 1)..].Trim(), out var parsedIqn, out _))
                {
                    (tid, iqn) = (parsedTid, parsedIqn);
                }
                continue;
            }
            // Section headers sit at exactly four spaces: "    I_T nexus information:", "    LUN information:", …
            if (line.StartsWith("    ", StringComparison.Ordinal) && line[4] != ' ' && trimmed.EndsWith("information:", StringComparison.Ordinal))
            {
                if (initiator is not null)
                {
                    connections.Add(new IscsiConnection(initiator, null, nexus));
                    initiator = null;
                }
                section = trimmed;
                continue;
            }
            switch (section)
            {
                case "I_T nexus information:" when trimmed.StartsWith("I_T nexus:", StringComparison.Ordinal):
                    if (initiator is not null)
                    {
                        connections.Add(new IscsiConnection(initiator, null, nexus));
                        initiator = null;
                    }
                    nexus = trimmed["I_T nexus:".Length..].Trim();
                    break;
                case "I_T nexus information:" when trimmed.StartsWith("Initiator:", StringComparison.Ordinal):
                    if (initiator is not null)
                    {
                        connections.Add(new IscsiConnection(initiator, null, nexus));
                    }
                    initiator = trimmed["Initiator:".Length..].Trim().Split(' ')[0];
                    break;
                case "I_T nexus information:" when trimmed.StartsWith("IP Address:", StringComparison.Ordinal) && initiator is not null:
                    connections.Add(new IscsiConnection(initiator, trimmed["IP Address:".Length..].Trim(), nexus));
                    initiator = null;
                    break;
                case "LUN information:" when trimmed.StartsWith("Backing store path:", StringComparison.Ordinal):
                    var path = trimmed["Backing store path:".Length..].Trim();
                    if (path != "None")
                    {
                        luns.Add(path);
                    }
                    break;
                case "Account information:" when trimmed.Length > 0:
                    accounts.Add(trimmed.Replace(" (outgoing)", "", StringComparison.Ordinal));
                    break;
                case "ACL information:" when trimmed.Length > 0:
                    acl.Add(trimmed);
                    break;
            }
        }
        Flush();
        return entries;
    }
}
