using GGnet.Core.Machines;

namespace GGnet.Core.Boot;

/// <summary>What a machine gets right now when it boots, without recording a request.</summary>
public sealed class GetMachineBootScript(GetMachine getMachine, BootScriptComposer composer)
{
    public async Task<string> ExecuteAsync(int machineId, CancellationToken cancellationToken) =>
        await composer.ForTftpAsync(await getMachine.ExecuteAsync(machineId, cancellationToken), cancellationToken);
}
