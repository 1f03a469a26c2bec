using GGnet.Core.Boot;

namespace GGnet.Core.Ports;

/// <summary>Keeps the boot network settings changed from the Settings page, and puts them in force at once.</summary>
public interface INetworkSettingsStore
{
    /// <summary>The settings as currently in force, as text (for the edit form).</summary>
    NetworkSettingsInput Current { get; }

    /// <summary>Saves already validated settings and makes them the ones in force.</summary>
    Task SaveAsync(NetworkSettingsInput input, CancellationToken cancellationToken);

    /// <summary>Saves already validated settings for the next start only: what is in force now (the lab's network) stays.</summary>
    Task SaveForNextStartAsync(NetworkSettingsInput input, CancellationToken cancellationToken);

    /// <summary>The settings saved for the next start (in lab mode, the production network chosen last); empty when none.</summary>
    NetworkSettingsInput Saved { get; }
}
