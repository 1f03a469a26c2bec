using System.Text.Json;
using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Files;
using GGnet.Infrastructure.Persistence;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Boot;

/// <summary>
/// The boot network in force: from settings (section <c>Network</c>, which includes the data directory's
/// network.json written by the Settings page), replaced at once when the Settings page saves.
/// </summary>
public sealed class BootNetwork : IBootNetwork, INetworkSettingsStore
{
    public const string FileName = "network.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private readonly string _file;
    private State _state;

    public BootNetwork(IOptions<NetworkSettingsInput> network, IOptions<BootOptions> boot, IOptions<DatabaseOptions> database)
    {
        _file = Path.Combine(database.Value.DataDirectory, FileName);
        _state = StateOf(network.Value);
        Naming = new IqnNaming(Iqn.Parse(boot.Value.IqnAuthority));
    }

    public NetworkSettings? Settings => _state.Settings;

    public IReadOnlyList<string> Problems => _state.Problems;

    public IqnNaming Naming { get; }

    public NetworkSettingsInput Current => _state.Input;

    public async Task SaveAsync(NetworkSettingsInput input, CancellationToken cancellationToken)
    {
        await SaveForNextStartAsync(input, cancellationToken);
        _state = StateOf(input);
    }

    // network.json is read at start, below the lab's own network in lab mode: written now, it is in force from the next
    // start in production mode, and the lab's dhcpd never sees it.
    public async Task SaveForNextStartAsync(NetworkSettingsInput input, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new { Network = input }, Indented);
        await AtomicFile.WriteAsync(_file, json, cancellationToken);
    }

    public NetworkSettingsInput Saved
    {
        get
        {
            var saved = new NetworkSettingsInput();
            if (File.Exists(_file))
            {
                try
                {
                    var json = JsonDocument.Parse(File.ReadAllBytes(_file));
                    saved = json.RootElement.TryGetProperty("Network", out var network) ? network.Deserialize<NetworkSettingsInput>(Indented) ?? saved : saved;
                }
                catch (JsonException)
                {
                }
            }
            return saved;
        }
    }

    public static bool IsConfigured(NetworkSettingsInput input) => !string.IsNullOrWhiteSpace(input.ServerAddress);

    private static State StateOf(NetworkSettingsInput input)
    {
        if (!IsConfigured(input))
        {
            return new State(input, null, ["The boot network is not set up yet: fill in the boot network on the Settings page (or Network:ServerAddress and the rest in the settings file)."]);
        }
        var (settings, problems) = input.Parse();
        return new State(input, settings, problems);
    }

    private sealed record State(NetworkSettingsInput Input, NetworkSettings? Settings, IReadOnlyList<string> Problems);
}
