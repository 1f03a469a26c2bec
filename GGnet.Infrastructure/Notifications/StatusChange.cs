using System.Globalization;

namespace GGnet.Infrastructure.Notifications;

/// <summary>One change open screens (and, across nodes, the other nodes) are told about.</summary>
public sealed record StatusChange(StatusChangeKind Kind, int Id = 0)
{
    /// <summary>As it travels between nodes: "machine 12".</summary>
    public string Text => $"{Kind.ToString().ToLowerInvariant()} {Id.ToString(CultureInfo.InvariantCulture)}";

    public static StatusChange? Parse(string text)
    {
        var parts = text.Split(' ');
        return parts.Length == 2 && Enum.TryParse<StatusChangeKind>(parts[0], ignoreCase: true, out var kind) && Enum.IsDefined(kind)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? new StatusChange(kind, id)
            : null;
    }
}

public enum StatusChangeKind
{
    Machine,

    /// <summary>Only a boot observation of the machine was saved: screens refresh, what it boots is unchanged.</summary>
    MachineObserved,
    Discovered,
    BootPlane,
    Image,

    /// <summary>The TFTP files and DHCP configuration must follow the database again (only the boot node acts on it).</summary>
    BootSync,
}
