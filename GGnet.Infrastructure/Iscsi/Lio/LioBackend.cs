using GGnet.Core.Domain;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Iscsi;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Processes;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Iscsi.Lio;

/// <summary>
/// The kernel's LIO target through targetcli, one targetcli run per operation, saved so targets survive a
/// reboot. Needs configfs and the target_core modules: without them it says so in one sentence.
/// </summary>
public sealed class LioBackend(ExternalCommand commands, IOptions<IscsiOptions> options, LioKernelSupport kernel) : IIscsiBackend
{
    public IscsiBackendKind Kind => IscsiBackendKind.Lio;

    public int DiskLun => LioBatch.DiskLun;

    public Task<BackendAvailability> CheckAsync(CancellationToken cancellationToken) => Task.FromResult(kernel.Check());

    public async Task CreateTargetAsync(IscsiTargetSpec spec, CancellationToken cancellationToken)
    {
        var result = await RunAsync(LioBatch.Create(spec), cancellationToken);
        if (!result.Succeeded || Failed(result))
        {
            // One batch may stop half-way: take away whatever of it exists.
            await RunAsync(LioBatch.Delete(spec.Target.Value), CancellationToken.None);
            throw new IscsiBackendException($"targetcli could not create the target {spec.Target}: {result.Explanation}");
        }
    }

    public async Task DeleteTargetAsync(Iqn target, CancellationToken cancellationToken)
    {
        var result = await RunAsync(LioBatch.Delete(target.Value), cancellationToken);
        if (!result.Succeeded && !result.Explanation.Contains("No such", StringComparison.OrdinalIgnoreCase)
            && !result.Explanation.Contains("No storage object", StringComparison.OrdinalIgnoreCase))
        {
            throw new IscsiBackendException($"targetcli could not delete the target {target}: {result.Explanation}");
        }
    }

    /// <summary>LIO's ACLs name initiators, not addresses: its targets rely on the initiator name and CHAP.</summary>
    public Task AdmitOnlyAsync(Iqn target, Ipv4Address address, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>LIO's portals belong to each target's portal group, made with the target.</summary>
    public Task ListenOnlyOnAsync(Ipv4Address address, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<IscsiTargetState>> ListTargetsAsync(CancellationToken cancellationToken)
    {
        var availability = kernel.Check();
        if (!availability.Available)
        {
            throw new IscsiBackendException(availability.Explanation);
        }
        return Task.FromResult(LioConfigfs.ReadTargets(kernel.TargetRoot));
    }

    private async Task<CommandOutput> RunAsync(string batch, CancellationToken cancellationToken)
    {
        var availability = kernel.Check();
        if (!availability.Available)
        {
            throw new IscsiBackendException(availability.Explanation);
        }
        return await commands.RunAsync(options.Value.TargetcliPath, [], cancellationToken, standardInput: batch);
    }

    // targetcli's shell keeps going after a failed line and may still exit 0; its errors start with these words.
    private static bool Failed(CommandOutput result) =>
        result.StandardError.Contains("Error", StringComparison.Ordinal) || result.StandardOutput.Contains("No such path", StringComparison.Ordinal)
        || result.StandardOutput.Contains("Could not create", StringComparison.Ordinal);
}
