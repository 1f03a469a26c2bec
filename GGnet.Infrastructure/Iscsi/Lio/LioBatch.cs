using GGnet.Core.Iscsi;

namespace GGnet.Infrastructure.Iscsi.Lio;

/// <summary>
/// The targetcli commands of one operation, run in a single targetcli process (targetcli is slow to start
/// and slower with many objects, so one call per step would not scale). Values are validated value objects
/// or GGnet-made names; a path with whitespace is refused because targetcli splits on it.
/// </summary>
public static class LioBatch
{
    /// <summary>LIO numbers a target's LUNs from 0 and has no controller LUN (unlike tgt): the disk is LUN 0.</summary>
    public const int DiskLun = 0;

    public static string Create(IscsiTargetSpec spec)
    {
        if (spec.LunPath.Any(char.IsWhiteSpace) || spec.LunPath.Contains('=', StringComparison.Ordinal) || !Path.IsPathFullyQualified(spec.LunPath))
        {
            throw new IscsiBackendException($"The disk path {spec.LunPath} can't be given to targetcli: it must be absolute, without spaces or '='.");
        }
        var backstore = BackstoreName(spec.Target.Value);
        var tpg = $"/iscsi/{spec.Target}/tpg1";
        var lines = new List<string>
        {
            $"/backstores/fileio create name={backstore} file_or_dev={spec.LunPath}",
            $"/iscsi create {spec.Target}",
            // targetcli adds a 0.0.0.0:3260 portal by itself.
            $"{tpg}/luns create /backstores/fileio/{backstore} lun={DiskLun}",
            $"{tpg}/acls create {spec.AllowedInitiator}",
            $"{tpg} set attribute authentication={(spec.Chap is null ? 0 : 1)}",
        };
        if (spec.Chap is { } chap)
        {
            if (!chap.IsSafe)
            {
                throw new IscsiBackendException("The CHAP credentials hold characters that can't be given to targetcli.");
            }
            lines.Add(chap.IsMutual
                ? $"{tpg}/acls/{spec.AllowedInitiator} set auth userid={chap.User} password={chap.Secret} mutual_userid={chap.MutualUser} mutual_password={chap.MutualSecret}"
                : $"{tpg}/acls/{spec.AllowedInitiator} set auth userid={chap.User} password={chap.Secret}");
        }
        lines.Add("/ saveconfig");
        lines.Add("exit");
        return string.Join('\n', lines) + "\n";
    }

    public static string Delete(string target) =>
        $"/iscsi delete {target}\n/backstores/fileio delete {BackstoreName(target)}\n/ saveconfig\nexit\n";

    /// <summary>targetcli backstore names allow letters, digits, '-' and '_': derived from the target name.</summary>
    public static string BackstoreName(string target) =>
        "ggnet-" + new string(target[(target.LastIndexOf(':') + 1)..].Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
}
