using GGnet.Core.Domain;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Boot;

/// <summary>Refuses to start with an IQN authority that is not one (<c>Boot:IqnAuthority</c>), in one sentence.</summary>
public sealed class BootOptionsValidator : IValidateOptions<BootOptions>
{
    public ValidateOptionsResult Validate(string? name, BootOptions options) =>
        Iqn.TryParse(options.IqnAuthority, out _, out var error)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Boot:IqnAuthority: {error}");
}
