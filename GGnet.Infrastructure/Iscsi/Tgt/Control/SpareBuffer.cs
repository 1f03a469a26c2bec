using System.Buffers;
using System.Numerics;

namespace GGnet.Infrastructure.Iscsi.Tgt.Control;

/// <summary>
/// One buffer kept for the next large read, instead of the shared array pool: tgtd's target listing (about 0.5 MB at
/// 200 targets, 2.3 MB at 1000) is read every 2 s while PCs run, each time on whichever thread-pool thread, and the
/// shared pool kept a copy of its arrays for each of those threads (8 MB in a dump of GGnet with ten dashboards open).
/// Taken by one reader at a time; a reader that finds it taken makes its own, dropped after. Short answers (most of
/// them: a code and a line) come from the shared pool, so they never hold the spare while a listing is read.
/// </summary>
internal sealed class SpareBuffer<T>
{
    /// <summary>Answers up to this many elements are lent by the shared pool.</summary>
    public const int ShortMax = 8192;

    private T[]? _spare;

    /// <summary>At least <paramref name="length"/> elements (sized up to a power of two, so a listing a few bytes longer than the last fits).</summary>
    public T[] Take(int length)
    {
        if (length <= ShortMax)
        {
            return ArrayPool<T>.Shared.Rent(length);
        }
        var spare = Interlocked.Exchange(ref _spare, null);
        return spare is not null && spare.Length >= length ? spare : new T[(int)Math.Min(BitOperations.RoundUpToPowerOf2((uint)length), Array.MaxLength)];
    }

    /// <summary>Gives the buffer back to be the spare, unless a larger one already is.</summary>
    public void Give(T[] buffer)
    {
        if (buffer.Length <= ShortMax)
        {
            ArrayPool<T>.Shared.Return(buffer);
            return;
        }
        var kept = Volatile.Read(ref _spare);
        if (kept is null || kept.Length < buffer.Length)
        {
            Interlocked.CompareExchange(ref _spare, buffer, kept);
        }
    }
}
