namespace GGnet.Core.Ports;

/// <summary>Keeps the admin's choice between lab mode and production mode; it applies when GGnet next starts.</summary>
public interface IModeStore
{
    Task SaveAsync(bool labMode, CancellationToken cancellationToken);
}
