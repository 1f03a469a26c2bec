using System.Text.Json;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Files;
using GGnet.Infrastructure.Persistence;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Lab;

/// <summary>mode.json in the data directory: <c>{"Lab":{"Enabled":…}}</c>, read as configuration at start-up.</summary>
public sealed class ModeFile(IOptions<DatabaseOptions> database) : IModeStore
{
    public const string FileName = "mode.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public Task SaveAsync(bool labMode, CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(
            Path.Combine(database.Value.DataDirectory, FileName),
            JsonSerializer.SerializeToUtf8Bytes(new { Lab = new { Enabled = labMode } }, Indented),
            cancellationToken);
}
