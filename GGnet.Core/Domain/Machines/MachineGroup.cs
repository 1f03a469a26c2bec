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

    public void Rename(string name, string? description)
    {
        Name = name;
        Description = description;
    }
}
