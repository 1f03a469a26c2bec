namespace GGnet.Core.Domain.Machines;

/// <summary>A named set of machines, e.g. a hall or a room, used to act on many PCs at once.</summary>
public sealed class MachineGroup
{
    public const int MaxNameLength = 64;

    private MachineGroup()
    {
        Name = "";
    }

    public MachineGroup(string name, string? description)
    {
        Name = name;
        Description = description;
    }

    public int Id { get; private set; }

    public string Name { get; private set; }

    public string? Description { get; private set; }

    /// <summary>The data images (game libraries) every session of the group's machines gets a copy of.</summary>
    public IReadOnlyList<int> DataImageIds { get; private set; } = [];

    /// <summary>Attaches exactly these data images (ids of data images, checked by the caller).</summary>
    public void AttachDataImages(IReadOnlyList<int> imageIds) => DataImageIds = imageIds.Distinct().ToList();

    public void Rename(string name, string? description)
    {
        Name = name;
        Description = description;
    }
}
