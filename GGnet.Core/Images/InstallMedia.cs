using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Images;

/// <summary>
/// Install media: ISO files in the import folder (uploaded like disk images) that an install session boots. The ISO is
/// a read-only CD-ROM of the session's own iSCSI target, on the LUN after the disk: the PC's firmware boots it, and the
/// installer's own iSCSI initiator (Windows Setup's too) still finds it there after it takes over from the firmware.
/// </summary>
public static class InstallMedia
{
    public const string Extension = ".iso";

    /// <summary>A plain ISO file name of the import folder (as uploads are named), or a sentence that says what is wrong.</summary>
    public static string Validate(string? fileName)
    {
        var name = fileName?.Trim() ?? "";
        if (!IsName(name))
        {
            throw new InvalidInputException(new Dictionary<string, string[]>
            {
                ["installFrom"] = [$"Install from an ISO file of the import folder: 1–{UploadImageFile.MaxNameLength} letters, digits, '-', '_' and '.', ending in .iso, like win11-23h2.iso."],
            });
        }
        return name;
    }

    /// <summary>The full path of a session's install medium in the import folder; null for a session that installs nothing.</summary>
    /// <exception cref="IOException">The ISO is no longer in the import folder.</exception>
    public static string? PathOf(IImportFolder importFolder, string? medium)
    {
        if (medium is null)
        {
            return null;
        }
        try
        {
            return importFolder.ResolveImport(Validate(medium));
        }
        catch (InvalidInputException)
        {
            throw new IOException($"the installer ISO {medium} is no longer in the import folder {importFolder.Path}. "
                + "Upload it again (Images › Upload) or put it back there, then start the install again");
        }
    }

    /// <summary>The install medium's LUN: the one after the disk's, in every backend.</summary>
    public static int LunAfter(int diskLun) => diskLun + 1;

    /// <summary>Whether <paramref name="name"/> is, as it stands, the name of an ISO file of the import folder.</summary>
    public static bool IsName(string name) =>
        name.Length is > 0 and <= UploadImageFile.MaxNameLength && !name.StartsWith('.') && IsPlain(name)
        && name.EndsWith(Extension, StringComparison.OrdinalIgnoreCase);

    private static bool IsPlain(string name) => name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
