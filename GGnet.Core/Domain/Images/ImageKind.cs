namespace GGnet.Core.Domain.Images;

/// <summary>What an image is for: a system a PC boots, or a data disk (a game library) attached beside the system.</summary>
public enum ImageKind
{
    /// <summary>An operating system: a session boots it.</summary>
    System,

    /// <summary>A library (games, tools): each session of a machine it is attached to gets its own copy, as another disk.</summary>
    Data,
}
