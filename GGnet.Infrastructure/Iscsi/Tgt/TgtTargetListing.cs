using GGnet.Core.Domain;
using GGnet.Core.Iscsi;

namespace GGnet.Infrastructure.Iscsi.Tgt;

/// <summary>
/// Reads <c>tgtadm --op show --mode target</c>: targets with their tid, LUN files, ACL and I_T nexuses. The listing is
/// read every few seconds while PCs run (whose disks are connected), and it is mostly lines GGnet does not keep (each
/// LUN's dozen properties): it is read line by line in place, and only what is kept becomes a string.
/// </summary>
public static class TgtTargetListing
{
    /// <param name="Accounts">The CHAP accounts bound to the target (an outgoing one without its "(outgoing)" mark).</param>
    public sealed record Entry(int Tid, IscsiTargetState State, IReadOnlyList<string> Accounts);

    private enum Section { Other, Nexus, Lun, Account, Acl }

    public static IReadOnlyList<Entry> Parse(ReadOnlySpan<char> text)
    {
        var entries = new List<Entry>();
        int? tid = null;
        Iqn? iqn = null;
        var luns = new List<string>();
        var acl = new List<string>();
        var connections = new List<IscsiConnection>();
        var accounts = new List<string>();
        var section = Section.Other;
        string? initiator = null;
        string? nexus = null;

        // An initiator named on a line of its own, with no address line after it.
        void EndConnection()
        {
            if (initiator is not null)
            {
                connections.Add(new IscsiConnection(initiator, null, nexus));
                initiator = null;
            }
        }

        void Flush()
        {
            if (tid is { } t && iqn is not null)
            {
                EndConnection();
                entries.Add(new Entry(t, new IscsiTargetState(iqn, luns.ToList(), acl.ToList(), connections.ToList()), accounts.ToList()));
            }
            (tid, iqn, section, initiator, nexus) = (null, null, Section.Other, null, null);
            accounts.Clear();
            luns.Clear();
            acl.Clear();
            connections.Clear();
        }

        foreach (var raw in text.EnumerateLines())
        {
            var line = raw.TrimEnd();
            var trimmed = line.Trim();
            if (line.StartsWith("Target ", StringComparison.Ordinal))
            {
                Flush();
                var colon = line.IndexOf(':');
                if (colon > 7 && int.TryParse(line[7..colon], System.Globalization.CultureInfo.InvariantCulture, out var parsedTid)
                    && Iqn.TryParse(line[(colon + 1)..].Trim().ToString(), out var parsedIqn, out _))
                {
                    (tid, iqn) = (parsedTid, parsedIqn);
                }
                continue;
            }
            // Section headers sit at exactly four spaces: "    I_T nexus information:", "    LUN information:", …
            if (line.StartsWith("    ", StringComparison.Ordinal) && line.Length > 4 && line[4] != ' ' && trimmed.EndsWith("information:", StringComparison.Ordinal))
            {
                EndConnection();
                section = trimmed switch
                {
                    "I_T nexus information:" => Section.Nexus,
                    "LUN information:" => Section.Lun,
                    "Account information:" => Section.Account,
                    "ACL information:" => Section.Acl,
                    _ => Section.Other,
                };
                continue;
            }
            switch (section)
            {
                case Section.Nexus when trimmed.StartsWith("I_T nexus:", StringComparison.Ordinal):
                    EndConnection();
                    nexus = trimmed["I_T nexus:".Length..].Trim().ToString();
                    break;
                case Section.Nexus when trimmed.StartsWith("Initiator:", StringComparison.Ordinal):
                    EndConnection();
                    var name = trimmed["Initiator:".Length..].Trim();
                    var space = name.IndexOf(' ');
                    initiator = (space < 0 ? name : name[..space]).ToString();
                    break;
                case Section.Nexus when trimmed.StartsWith("IP Address:", StringComparison.Ordinal) && initiator is not null:
                    connections.Add(new IscsiConnection(initiator, trimmed["IP Address:".Length..].Trim().ToString(), nexus));
                    initiator = null;
                    break;
                case Section.Lun when trimmed.StartsWith("Backing store path:", StringComparison.Ordinal):
                    var path = trimmed["Backing store path:".Length..].Trim();
                    if (!path.SequenceEqual("None"))
                    {
                        luns.Add(path.ToString());
                    }
                    break;
                case Section.Account when trimmed.Length > 0:
                    accounts.Add(trimmed.ToString().Replace(" (outgoing)", "", StringComparison.Ordinal));
                    break;
                case Section.Acl when trimmed.Length > 0:
                    acl.Add(trimmed.ToString());
                    break;
            }
        }
        Flush();
        return entries;
    }
}
