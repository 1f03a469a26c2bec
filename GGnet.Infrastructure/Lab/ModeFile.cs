using GGnet.Core.Ports;
using GGnet.Infrastructure.Backups;
using GGnet.Infrastructure.Persistence;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Lab;

/// <summary>mode.json in the data directory: <c>{"Lab":{"Enabled":…}}</c>, read as configuration at start-up.</summary>
public sealed class ModeFile(IOptions<DatabaseOptions> database) : IModeStore
{
    public const string FileName = "mode.json";

    public Task SaveAsync(bool labMode, CancellationToken cancellationToken) =>
        DataDirectorySettings.WriteAsync(database.Value.DataDirectory, FileName, new { Lab = new { Enabled = labMode } }, cancellationToken);
}
