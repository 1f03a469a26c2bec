using System.Globalization;

namespace GGnet.Infrastructure.Storage;

/// <summary>Reads <c>filefrag -v -b4096</c>: the file's extents, their length in 4 KiB blocks and their flags.</summary>
public static class FileExtents
{
    /// <summary>Bytes in extents not flagged "shared" (delayed-allocation extents count: they are the file's own, not yet on disk).</summary>
    public static bool TryOwnBytes(string listing, out long bytes)
    {
        bytes = 0;
        var found = false;
        foreach (var line in listing.Split('\n'))
        {
            // "   0:        0..     511:      34816..     35327:    512:             last,shared,eof"
            var columns = line.Split(':');
            if (columns.Length < 5 || !int.TryParse(columns[0].Trim(), CultureInfo.InvariantCulture, out _))
            {
                continue;
            }
            // The logical range, not the length column: filefrag prints length 0 for extents not yet allocated (delalloc).
            var range = columns[1].Split("..", StringSplitOptions.TrimEntries);
            if (range.Length != 2 || !long.TryParse(range[0], CultureInfo.InvariantCulture, out var first) || !long.TryParse(range[1], CultureInfo.InvariantCulture, out var last))
            {
                continue;
            }
            var blocks = last - first + 1;
            found = true;
            var flags = columns[^1];
            if (!flags.Contains("shared", StringComparison.Ordinal))
            {
                bytes += blocks * 4096;
            }
        }
        return found || listing.Contains("0 extents found", StringComparison.Ordinal);
    }
}
