using GGnet.Core.Domain.Images;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Images;
using GGnet.Core.Ports;

namespace GGnet.Core.Sessions;

/// <summary>
/// Which data images' versions a machine's normal session gets copies of: its group's data images, then its own, each at
/// its current version. A data image that can't be given (gone, made a system image, no ready version, stored on
/// another node) refuses the start with a sentence: a PC never boots silently without its games. One choice serves a
/// whole bulk start (images and groups are read once).
/// </summary>
public sealed class DataDiskChoice(IImageRepository images, IMachineGroupRepository groups)
{
    private readonly Dictionary<int, (Image? Image, bool Ready)> _images = [];
    private readonly Dictionary<int, MachineGroup?> _groups = [];

    /// <summary>The version ids in the session's order, or the refusal.</summary>
    public async Task<(IReadOnlyList<int> VersionIds, string? Refusal)> ForAsync(Machine machine, string node, Func<Image, string> nodeOf,
        CancellationToken cancellationToken)
    {
        var group = machine.GroupId is { } groupId ? await GroupAsync(groupId, cancellationToken) : null;
        var imageIds = (group?.DataImageIds ?? []).Concat(machine.DataImageIds).Distinct().ToList();
        if (imageIds.Count > DataDisks.MaxPerSession)
        {
            return ([], $"Machine '{machine.Name}' has {imageIds.Count} data images attached (with its group's); a PC takes at most {DataDisks.MaxPerSession}. Detach some.");
        }
        var versions = new List<int>();
        foreach (var imageId in imageIds)
        {
            var (image, ready) = await ImageAsync(imageId, cancellationToken);
            if (Refusal(machine, imageId, image, ready, node, nodeOf) is { } refusal)
            {
                return ([], refusal);
            }
            versions.Add(image!.CurrentVersionId!.Value);
        }
        return (versions, null);
    }

    private static string? Refusal(Machine machine, int imageId, Image? image, bool ready, string node, Func<Image, string> nodeOf) => image switch
    {
        null => $"A data image attached to machine '{machine.Name}' (id {imageId}) no longer exists. Save the machine's data images again.",
        { IsData: false } => $"Image '{image.Name}', attached to machine '{machine.Name}' as a data disk, is a system image now. Detach it, or make it a data image again.",
        _ when !ready => $"Data image '{image.Name}' has no ready version yet, so machine '{machine.Name}' can't get its copy. Wait for its import, or detach it.",
        _ when nodeOf(image) != node =>
            $"Data image '{image.Name}' is stored on node {nodeOf(image)}, but machine '{machine.Name}' boots an image of node {node}: a session's disks all live on one node.",
        _ => null,
    };

    // The image, and whether its current version is ready to be copied (a conversion under way is not).
    private async Task<(Image? Image, bool Ready)> ImageAsync(int id, CancellationToken cancellationToken)
    {
        if (!_images.TryGetValue(id, out var found))
        {
            var image = await images.FindAsync(id, cancellationToken);
            var ready = image?.CurrentVersionId is { } versionId && await images.FindVersionAsync(versionId, cancellationToken) is { Status: ImageStatus.Ready };
            _images[id] = found = (image, ready);
        }
        return found;
    }

    private async Task<MachineGroup?> GroupAsync(int id, CancellationToken cancellationToken)
    {
        if (!_groups.TryGetValue(id, out var group))
        {
            _groups[id] = group = await groups.FindAsync(id, cancellationToken);
        }
        return group;
    }
}
