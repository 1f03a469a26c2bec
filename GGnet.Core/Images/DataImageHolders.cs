using GGnet.Core.Ports;

namespace GGnet.Core.Images;

/// <summary>Who has a data image attached: the groups and machines whose sessions get a copy of it.</summary>
public sealed class DataImageHolders(IMachineRepository machines, IMachineGroupRepository groups)
{
    /// <summary>"group 'Hall A'", "machine 'pc-07'", …: groups first, then machines, by name.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(int imageId, CancellationToken cancellationToken)
    {
        var holders = (await groups.ListAsync(cancellationToken)).Where(g => g.DataImageIds.Contains(imageId)).Select(g => $"group '{g.Name}'").ToList();
        holders.AddRange((await machines.NamesWithDataImageAsync(imageId, cancellationToken)).Select(name => $"machine '{name}'"));
        return holders;
    }

    /// <summary>A refusal's sentence: the image is attached to these holders, so the admin detaches it there first.</summary>
    public static string Sentence(string imageName, IReadOnlyList<string> holders) =>
        $"Image '{imageName}' is attached as a data disk to {string.Join(", ", holders.Take(5))}{(holders.Count > 5 ? $" and {holders.Count - 5} more" : "")}. "
        + "Detach it there first.";
}
