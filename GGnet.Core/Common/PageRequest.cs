namespace GGnet.Core.Common;

/// <summary>Which page to read; out-of-range numbers are clamped rather than refused.</summary>
public sealed record PageRequest(int PageNumber = 1, int PageSize = 25)
{
    public const int MaxPageSize = 500;

    public int SafePageNumber => Math.Max(1, PageNumber);

    public int SafePageSize => Math.Clamp(PageSize, 1, MaxPageSize);

    public int Skip => (SafePageNumber - 1) * SafePageSize;
}
