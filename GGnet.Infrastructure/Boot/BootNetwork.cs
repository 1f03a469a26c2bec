using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Core.Ports;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Boot;

/// <summary>The boot network from settings (section <c>Network</c>), parsed and cross-checked once.</summary>
public sealed class BootNetwork : IBootNetwork
{
    public BootNetwork(IOptions<NetworkSettingsInput> network, IOptions<BootOptions> boot)
    {
        var input = network.Value;
        if (!IsConfigured(input))
        {
            Problems = ["The boot network is not set up yet: set Network:ServerAddress, Interface, Subnet, Netmask, RangeStart, RangeEnd and BootBaseUrl (see README)."];
        }
        else
        {
            (Settings, Problems) = input.Parse();
        }
        Naming = new IqnNaming(Iqn.Parse(boot.Value.IqnAuthority));
    }

    public NetworkSettings? Settings { get; }

    public IReadOnlyList<string> Problems { get; }

    public IqnNaming Naming { get; }

    public static bool IsConfigured(NetworkSettingsInput input) => !string.IsNullOrWhiteSpace(input.ServerAddress);
}

/// <summary>Refuses to start with a half-configured or inconsistent boot network, one sentence per problem.</summary>
public sealed class NetworkSettingsValidator : IValidateOptions<NetworkSettingsInput>
{
    public ValidateOptionsResult Validate(string? name, NetworkSettingsInput options)
    {
        if (!BootNetwork.IsConfigured(options))
        {
            return ValidateOptionsResult.Success;
        }
        var (_, problems) = options.Parse();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

public sealed class BootOptionsValidator : IValidateOptions<BootOptions>
{
    public ValidateOptionsResult Validate(string? name, BootOptions options) =>
        Iqn.TryParse(options.IqnAuthority, out _, out var error)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Boot:IqnAuthority: {error}");
}
