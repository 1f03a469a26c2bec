using GGnet.Core.Images;
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

    /// <summary>An install session's ISO: the LUN after the disk.</summary>
    public static readonly int MediumLun = InstallMedia.LunAfter(DiskLun);

    public static string Create(IscsiTargetSpec spec)
    {
        RequirePlainPath(spec.LunPath, "disk");
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
        if (spec.InstallMediumPath is { } medium)
        {
            // LIO emulates no CD-ROM drive: the ISO is a disk LUN, mapped to the PC write-protected (made after the ACL, so
            // it is not mapped writable by itself). Firmware and Linux installers read it; Windows Setup wants a CD-ROM (tgt).
            RequirePlainPath(medium, "installer ISO");
            lines.Add($"/backstores/fileio create name={backstore}-iso file_or_dev={medium}");
            lines.Add($"{tpg}/luns create /backstores/fileio/{backstore}-iso lun={MediumLun} add_mapped_luns=false");
            lines.Add($"{tpg}/acls/{spec.AllowedInitiator} create mapped_lun={MediumLun} tpg_lun_or_backstore={MediumLun} write_protect=true");
        }
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

    /// <summary>The target, its disk's backstore and an install's ISO backstore (targetcli goes on after "No storage object").</summary>
    public static string Delete(string target) =>
        $"/iscsi delete {target}\n/backstores/fileio delete {BackstoreName(target)}\n/backstores/fileio delete {BackstoreName(target)}-iso\n/ saveconfig\nexit\n";

    private static void RequirePlainPath(string path, string what)
    {
        if (path.Any(char.IsWhiteSpace) || path.Contains('=', StringComparison.Ordinal) || !Path.IsPathFullyQualified(path))
        {
            throw new IscsiBackendException($"The {what} path {path} can't be given to targetcli: it must be absolute, without spaces or '='.");
        }
    }

    /// <summary>targetcli backstore names allow letters, digits, '-' and '_': derived from the target name.</summary>
    public static string BackstoreName(string target) =>
        "ggnet-" + new string(target[(target.LastIndexOf(':') + 1)..].Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
}
