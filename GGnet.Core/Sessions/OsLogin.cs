using GGnet.Core.Iscsi;

namespace GGnet.Core.Sessions;

/// <summary>
/// Telling the OS's own login to its session's target from the firmware's. The firmware (iPXE) logs in once for each disk
/// it hooks: the data disks, then the system disk. So the first that many logins of an attach are the firmware's, however
/// many of them one look at the target saw; a login beyond them is the OS taking its disks over.
/// </summary>
public static class OsLogin
{
    /// <summary>
    /// The OS's login among <paramref name="connections"/>, or null. Logins not seen before join <paramref name="firmware"/>
    /// (the firmware's of this attach) until it holds <paramref name="firmwareHooks"/>, oldest first (the backend numbers them in order).
    /// </summary>
    public static IscsiConnection? Find(HashSet<string> firmware, IReadOnlyList<IscsiConnection> connections, int firmwareHooks)
    {
        foreach (var login in Logins(connections).Where(l => !firmware.Contains(l)).OrderBy(l => l.Length).ThenBy(l => l, StringComparer.Ordinal))
        {
            if (firmware.Count >= firmwareHooks)
            {
                break;
            }
            firmware.Add(login);
        }
        return connections.FirstOrDefault(c => c.Login is { } login && !firmware.Contains(login));
    }

    /// <summary>The backend's ids of these logins (tgt's I_T nexus numbers).</summary>
    public static HashSet<string> Logins(IReadOnlyList<IscsiConnection> connections) =>
        connections.Select(c => c.Login).OfType<string>().ToHashSet(StringComparer.Ordinal);
}
