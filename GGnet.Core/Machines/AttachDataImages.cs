using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Errors;
using GGnet.Core.Images;
using GGnet.Core.Ports;

namespace GGnet.Core.Machines;

/// <summary>
/// Sets the data images (game libraries) a machine's or a group's sessions get copies of, beside the system disk. Only
/// data images; at most <see cref="DataDisks.MaxPerSession"/>. Running sessions keep the disks they have: the next session
/// of each PC gets the new set.
/// </summary>
public sealed class AttachDataImages(IMachineRepository machines, IMachineGroupRepository groups, GetMachine getMachine, IImageRepository images, TimeProvider clock)
{
    public async Task<Machine> ToMachineAsync(int machineId, IReadOnlyList<int>? imageIds, string actor, CancellationToken cancellationToken)
    {
        var machine = await getMachine.ExecuteAsync(machineId, cancellationToken);
        var valid = await ValidAsync(imageIds, cancellationToken);
        if (machine.AttachDataImages(valid, actor, clock.GetUtcNow().UtcDateTime))
        {
            await machines.UpdateAsync(machine, cancellationToken);
        }
        return machine;
    }

    public async Task<MachineGroup> ToGroupAsync(int groupId, IReadOnlyList<int>? imageIds, string actor, CancellationToken cancellationToken)
    {
        var group = await groups.FindAsync(groupId, cancellationToken) ?? throw new NotFoundException($"There is no group with id {groupId}.");
        var valid = await ValidAsync(imageIds, cancellationToken);
        var before = Machine.DataImagesSummary(group.DataImageIds);
        group.AttachDataImages(valid);
        var after = Machine.DataImagesSummary(group.DataImageIds);
        if (before != after)
        {
            await groups.SaveAsync(group, new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.GroupDataImagesChanged, "group",
                group.Id.ToString(CultureInfo.InvariantCulture), before, after), cancellationToken);
        }
        return group;
    }

    // Every id a data image, each once, at most as many as a PC takes.
    private async Task<IReadOnlyList<int>> ValidAsync(IReadOnlyList<int>? imageIds, CancellationToken cancellationToken)
    {
        var ids = (imageIds ?? []).Distinct().ToList();
        if (ids.Count > DataDisks.MaxPerSession)
        {
            throw Invalid($"A PC takes at most {DataDisks.MaxPerSession} data images; {ids.Count} were given.");
        }
        foreach (var id in ids)
        {
            var image = await images.FindAsync(id, cancellationToken) ?? throw Invalid($"There is no image with id {id}.");
            if (!image.IsData)
            {
                throw Invalid($"Image '{image.Name}' is a system image: PCs boot it. Only data images are attached beside the system (make it a data image on the Images page).");
            }
        }
        return ids;
    }

    private static InvalidInputException Invalid(string sentence) => new(new Dictionary<string, string[]> { ["dataImageIds"] = [sentence] });
}
