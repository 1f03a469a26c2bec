using GGnet.Core.Domain.Sessions;
using GGnet.Core.Errors;
using GGnet.Core.Ports;
using GGnet.Core.Sessions;

namespace GGnet.Core.Lab;

/// <summary>
/// The lab's one click: makes sure there are <c>count</c> virtual PCs, gives each a session on the demo image (or
/// the real-OS image) and powers them on. PCs already in a session are left as they are; one still running without a session (its
/// session was stopped under it) is restarted into its new one.
/// </summary>
public sealed class BootVirtualPcs(
    ILab lab,
    IDemoImage demoImage,
    IRealOsImage realOsImage,
    IMachineRepository machines,
    ISessionRepository sessions,
    AddVirtualPc addVirtualPc,
    StartSession startSession,
    IVirtualPcs virtualPcs,
    PowerOffVirtualPc powerOff,
    PowerOnVirtualPc powerOn)
{
    public async Task<IReadOnlyList<int>> ExecuteAsync(LabBootRequest request, string actor, CancellationToken cancellationToken)
    {
        var count = request.Count;
        var status = lab.Status;
        if (!status.Running)
        {
            throw new ConflictException(status.Sentence);
        }
        if (count < 1 || count > status.MaxVirtualPcs)
        {
            throw new InvalidInputException(new Dictionary<string, string[]> { ["count"] = [$"Boot between 1 and {status.MaxVirtualPcs} virtual PCs at once."] });
        }
        var imageId = request.Image == LabImage.RealOs
            ? await realOsImage.EnsureAsync(cancellationToken)
            : await demoImage.EnsureAsync(cancellationToken);
        var pcs = (await machines.ListVirtualAsync(cancellationToken)).Take(count).ToList();
        while (pcs.Count < count)
        {
            pcs.Add(await addVirtualPc.ExecuteAsync(actor, request.Firmware, cancellationToken));
        }
        foreach (var pc in pcs)
        {
            if (await sessions.FindActiveAsync(pc.Id, cancellationToken) is null)
            {
                await startSession.ExecuteAsync(new StartSessionRequest(pc.Id, imageId, SessionType.Normal), actor, cancellationToken);
                if (virtualPcs.PoweredOn.Contains(pc.Id))
                {
                    // Still running on the disk of its ended session: it boots again, into the new one.
                    await powerOff.ExecuteAsync(pc.Id, actor, cancellationToken);
                }
            }
            await powerOn.ExecuteAsync(pc.Id, actor, cancellationToken);
        }
        return pcs.Select(pc => pc.Id).ToList();
    }
}
