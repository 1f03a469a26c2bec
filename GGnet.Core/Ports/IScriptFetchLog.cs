using GGnet.Core.Domain.Machines;

namespace GGnet.Core.Ports;

/// <summary>
/// Where script fetches of known machines go to be recorded: without waiting, in the order they came, saved together
/// in one transaction a moment later, so a hall booting at once does not queue its script requests behind database writes.
/// </summary>
public interface IScriptFetchLog
{
    void Add(BootEvent fetched);
}
