using GGnet.Core.Boot;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Boot;

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
