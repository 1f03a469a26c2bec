using GGnet.Core.Boot;

namespace GGnet.Core.Ports;

/// <summary>Keeps the boot network settings changed from the Settings page, and puts them in force at once.</summary>
public interface INetworkSettingsStore
{
    /// <summary>The settings as currently in force, as text (for the edit form).</summary>
    NetworkSettingsInput Current { get; }

    /// <summary>Saves already validated settings and makes them the ones in force.</summary>
    Task SaveAsync(NetworkSettingsInput input, CancellationToken cancellationToken);
}
