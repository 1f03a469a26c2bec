namespace GGnet.Core.Domain.Images;

/// <summary>A golden disk that machines boot, kept in numbered versions.</summary>
public sealed class Image
{
    public const int MaxNameLength = 100;

    private Image()
    {
        Name = "";
    }

    public Image(string name, string? description, string nodeName, DateTime createdAt)
    {
        Name = name;
        NodeName = nodeName;
        Description = description;
        CreatedAt = createdAt;
    }

    public int Id { get; private set; }

    public string Name { get; private set; }

    public string? Description { get; private set; }

    /// <summary>The node whose storage holds the image's versions; its sessions are provisioned there.</summary>
    public string NodeName { get; private set; } = "";

    /// <summary>The version new sessions use.</summary>
    public int? CurrentVersionId { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public ICollection<ImageVersion> Versions { get; private set; } = [];

    /// <summary>
    /// The image's system never logs in to its disk itself: it reads through the PC's firmware only (the lab's demo boot
    /// sector). No warning that its OS did not take the disk over.
    /// </summary>
    public bool FirmwareOnly { get; private set; }

    public void MarkFirmwareOnly() => FirmwareOnly = true;

    /// <summary>
    /// How much each session of this image may write beyond the image (its own bytes, with its data disks'); null: no
    /// quota. A session at <see cref="Sessions.Session.SpaceLowShare"/> of it is warned about; a start is admitted only
    /// while the storage holds what the running sessions may still write.
    /// </summary>
    public long? SessionQuotaBytes { get; private set; }

    public void LimitSessionWrites(long? bytes) => SessionQuotaBytes = bytes;

    /// <summary>A system disk (booted) or a data disk (attached to machines beside their system).</summary>
    public ImageKind Kind { get; private set; }

    public bool IsData => Kind == ImageKind.Data;

    /// <summary>Makes the image a system or a data disk; false when it already is.</summary>
    public bool UseAs(ImageKind kind)
    {
        if (kind == Kind)
        {
            return false;
        }
        Kind = kind;
        return true;
    }

    public void MakeCurrent(ImageVersion version) => CurrentVersionId = version.Id;
}
