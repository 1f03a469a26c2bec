using System.Text.Json;
using GGnet.Core.Iscsi;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Files;
using GGnet.Infrastructure.Persistence;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Iscsi;

/// <summary>chap.json in the data directory: <c>{"Iscsi":{"Chap":…}}</c>, read as configuration at start-up.</summary>
public sealed class ChapFile(IOptions<DatabaseOptions> database) : IChapSettingStore
{
    public const string FileName = "chap.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public Task SaveAsync(ChapPolicy policy, CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(
            Path.Combine(database.Value.DataDirectory, FileName),
            JsonSerializer.SerializeToUtf8Bytes(new { Iscsi = new { Chap = policy.ToString() } }, Indented),
            cancellationToken);
}
