namespace GGnet.Core.Common;

/// <summary>One page of a longer list, and how long the whole list is.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int TotalCount, int PageNumber, int PageSize);
