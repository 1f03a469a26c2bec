using System.Globalization;
using GGnet.Core.Boot;
using GGnet.Core.Errors;

namespace GGnet.Core.Images;

/// <summary>
/// Install media: ISO files in the import folder (uploaded like disk images) that an install session boots over HTTP.
/// A PC fetches its session's medium at <c>{boot URL}/media/{session}/{file}</c>, and only while that session runs.
/// </summary>
public static class InstallMedia
{
    public const string Extension = ".iso";

    /// <summary>The route below the boot URL.</summary>
    public const string Folder = "media";

    /// <summary>A plain ISO file name of the import folder (as uploads are named), or a sentence that says what is wrong.</summary>
    public static string Validate(string? fileName)
    {
        var name = fileName?.Trim() ?? "";
        if (name.Length is 0 or > UploadImageFile.MaxNameLength || name.StartsWith('.') || !IsPlain(name)
            || !name.EndsWith(Extension, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidInputException(new Dictionary<string, string[]>
            {
                ["installFrom"] = [$"Install from an ISO file of the import folder: 1–{UploadImageFile.MaxNameLength} letters, digits, '-', '_' and '.', ending in .iso, like win11-23h2.iso."],
            });
        }
        return name;
    }

    public static string UrlFor(NetworkSettings network, int sessionId, string fileName) =>
        string.Create(CultureInfo.InvariantCulture, $"{network.BootUrl}/{Folder}/{sessionId}/{Validate(fileName)}");

    /// <summary>Whether a URL can go into a boot script as it is: http(s), and only characters iPXE takes literally.</summary>
    public static bool IsSafeUrl(string url) =>
        (url.StartsWith("http://", StringComparison.Ordinal) || url.StartsWith("https://", StringComparison.Ordinal))
        && url.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '[' or ']');

    private static bool IsPlain(string name) => name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
