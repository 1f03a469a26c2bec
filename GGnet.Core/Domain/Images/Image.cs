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

    /// <summary>Makes the version the one every PC boots; a canary ends (its group follows the current version again).</summary>
    public void MakeCurrent(ImageVersion version) => (CurrentVersionId, CanaryVersionId, CanaryGroupId, CanarySince) = (version.Id, null, null, null);

    /// <summary>A version that one group's PCs boot before everyone (a canary); null when there is none.</summary>
    public int? CanaryVersionId { get; private set; }

    /// <summary>The group whose PCs boot <see cref="CanaryVersionId"/> at their next normal session.</summary>
    public int? CanaryGroupId { get; private set; }

    public DateTime? CanarySince { get; private set; }

    public void StartCanary(ImageVersion version, int groupId, DateTime at) => (CanaryVersionId, CanaryGroupId, CanarySince) = (version.Id, groupId, at);

    /// <summary>The group boots the current version again from its next sessions on.</summary>
    public void EndCanary() => (CanaryVersionId, CanaryGroupId, CanarySince) = (null, null, null);

    /// <summary>The version a normal session of a PC in this group boots: the canary for its group, else the current one.</summary>
    public int? VersionFor(int? groupId) => CanaryVersionId is { } canary && groupId is not null && groupId == CanaryGroupId ? canary : CurrentVersionId;
}
