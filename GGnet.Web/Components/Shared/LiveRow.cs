namespace GGnet.Web.Components.Shared;

/// <summary>
/// An item as a row of a list that reloads live. A reload reads every item anew; the row stays the same row by the
/// item's id, so the list redraws what changed inside it instead of drawing the row anew: a click on one of its
/// buttons while the list redraws (a boot storm redraws it several times a second) is not lost, and a ticked row stays
/// ticked.
/// </summary>
public sealed class LiveRow<T>(int id, T value) : IEquatable<LiveRow<T>>
{
    public int Id { get; } = id;

    public T Value { get; } = value;

    public bool Equals(LiveRow<T>? other) => other is not null && other.Id == Id;

    public override bool Equals(object? obj) => Equals(obj as LiveRow<T>);

    public override int GetHashCode() => Id;
}
