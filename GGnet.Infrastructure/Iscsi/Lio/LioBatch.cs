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
        };
        // Data disks before the ACL, so the ACL maps them as it maps the disk.
        foreach (var (path, number) in (spec.DataDiskPaths ?? []).Select((path, index) => (path, index + 1)))
        {
            RequirePlainPath(path, "data disk");
            lines.Add($"/backstores/fileio create name={DataBackstoreName(backstore, number)} file_or_dev={path}");
            lines.Add($"{tpg}/luns create /backstores/fileio/{DataBackstoreName(backstore, number)} lun={DataDisks.LunOf(DiskLun, number)}");
        }
        lines.Add($"{tpg}/acls create {spec.AllowedInitiator}");
        lines.Add($"{tpg} set attribute authentication={(spec.Chap is null ? 0 : 1)}");
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

    /// <summary>
    /// The target, its disk's backstore, its data disks' and an install's ISO backstore (targetcli goes on after "No storage
    /// object", so the ones a target never had cost nothing).
    /// </summary>
    public static string Delete(string target)
    {
        var backstore = BackstoreName(target);
        var lines = new List<string> { $"/iscsi delete {target}", $"/backstores/fileio delete {backstore}" };
        lines.AddRange(Enumerable.Range(1, DataDisks.MaxPerSession).Select(number => $"/backstores/fileio delete {DataBackstoreName(backstore, number)}"));
        lines.AddRange([$"/backstores/fileio delete {backstore}-iso", "/ saveconfig", "exit"]);
        return string.Join('\n', lines) + "\n";
    }

    private static string DataBackstoreName(string backstore, int number) => $"{backstore}-data{number.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

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
