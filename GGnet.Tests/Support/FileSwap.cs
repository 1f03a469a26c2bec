using System.ComponentModel;
using System.Runtime.InteropServices;

namespace GGnet.Tests.Support;

/// <summary>
/// Swaps two paths in one step (Linux <c>renameat2</c> with RENAME_EXCHANGE): a running app that opens either path
/// meanwhile finds one or the other, never nothing (where SQLite would make an empty database).
/// </summary>
public static partial class FileSwap
{
    private const int CurrentDirectory = -100;
    private const uint RenameExchange = 2;

    public static void Exchange(string first, string second)
    {
        if (RenameAt2(CurrentDirectory, first, CurrentDirectory, second, RenameExchange) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"could not swap {first} and {second}");
        }
    }

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2(int oldDirectory, string oldPath, int newDirectory, string newPath, uint flags);
}
