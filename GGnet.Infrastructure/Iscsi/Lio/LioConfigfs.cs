using GGnet.Core.Domain;
using GGnet.Core.Iscsi;

namespace GGnet.Infrastructure.Iscsi.Lio;

/// <summary>Reads LIO's targets straight from configfs (fast, unlike a targetcli listing).</summary>
public static class LioConfigfs
{
    public static IReadOnlyList<IscsiTargetState> ReadTargets(string targetRoot)
    {
        var iscsi = Path.Combine(targetRoot, "iscsi");
        if (!Directory.Exists(iscsi))
        {
            return [];
        }
        var targets = new List<IscsiTargetState>();
        foreach (var directory in Directory.EnumerateDirectories(iscsi))
        {
            if (!Iqn.TryParse(Path.GetFileName(directory), out var iqn, out _))
            {
                continue;
            }
            var tpg = Path.Combine(directory, "tpgt_1");
            var acls = Directory.Exists(Path.Combine(tpg, "acls"))
                ? Directory.EnumerateDirectories(Path.Combine(tpg, "acls")).Select(Path.GetFileName).OfType<string>().ToList()
                : [];
            var connections = acls
                .Where(acl => File.Exists(Path.Combine(tpg, "acls", acl, "info")) && File.ReadAllText(Path.Combine(tpg, "acls", acl, "info")).Contains("LOGGED_IN", StringComparison.Ordinal))
                .Select(acl => new IscsiConnection(acl, null))
                .ToList();
            targets.Add(new IscsiTargetState(iqn, [], acls, connections));
        }
        return targets;
    }
}
