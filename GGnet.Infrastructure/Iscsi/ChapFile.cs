using GGnet.Core.Iscsi;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Backups;
using GGnet.Infrastructure.Persistence;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Iscsi;

/// <summary>chap.json in the data directory: <c>{"Iscsi":{"Chap":…}}</c>, read as configuration at start-up.</summary>
public sealed class ChapFile(IOptions<DatabaseOptions> database) : IChapSettingStore
{
    public const string FileName = "chap.json";

    public Task SaveAsync(ChapPolicy policy, CancellationToken cancellationToken) =>
        DataDirectorySettings.WriteAsync(database.Value.DataDirectory, FileName, new { Iscsi = new { Chap = policy } }, cancellationToken);
}
