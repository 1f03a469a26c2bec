using System.Globalization;
using System.Text;

namespace GGnet.Infrastructure.Storage;

/// <summary>The mounts this process sees (<c>/proc/self/mountinfo</c>), mount points decoded (the kernel writes a space as \040).</summary>
public static class MountInfo
{
    public static bool IsMounted(string path) => MountPoints(File.ReadAllLines("/proc/self/mountinfo")).Contains(Path.GetFullPath(path));

    /// <summary>The mount points of mountinfo lines (the fifth field of each).</summary>
    public static IReadOnlySet<string> MountPoints(IEnumerable<string> lines) =>
        lines.Select(line => line.Split(' '))
            .Where(fields => fields.Length > 4)
            .Select(fields => Decode(fields[4]))
            .ToHashSet(StringComparer.Ordinal);

    private static string Decode(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }
        var bytes = new List<byte>();
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && int.TryParse(field.AsSpan(i + 1, 3), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                bytes.Add(Convert.ToByte(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(field[i].ToString()));
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
