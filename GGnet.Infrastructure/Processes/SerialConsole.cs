using System.Text;
using System.Text.RegularExpressions;

namespace GGnet.Infrastructure.Processes;

/// <summary>A QEMU PC's serial console file (firmware, iPXE and the booted system's output), read as plain text.</summary>
public static partial class SerialConsole
{
    private const int TailBytes = 32 * 1024;

    /// <summary>The end of the console (its last 32 KiB) as plain text; empty when there is no file yet.</summary>
    public static async Task<string> ReadTailAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return "";
        }
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var start = Math.Max(0, file.Length - TailBytes);
        file.Seek(start, SeekOrigin.Begin);
        var bytes = new byte[file.Length - start];
        await file.ReadExactlyAsync(bytes, cancellationToken);
        return PlainText(Encoding.Latin1.GetString(bytes));
    }

    /// <summary>Strips terminal escape sequences and control characters; keeps lines.</summary>
    public static string PlainText(string console)
    {
        var text = EscapeSequence().Replace(console, "");
        var plain = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c == '\n' || (c >= ' ' && c != '\x7f'))
            {
                plain.Append(c);
            }
        }
        return MultipleBlankLines().Replace(plain.ToString(), "\n\n");
    }

    [GeneratedRegex(@"\x1b(\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[@-Z\\-_c])")]
    private static partial Regex EscapeSequence();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex MultipleBlankLines();
}
