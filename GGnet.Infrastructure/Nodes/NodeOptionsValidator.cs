using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Nodes;

/// <summary>One sentence per wrong <c>Node</c> setting, for the start-up check.</summary>
public sealed class NodeOptionsValidator : IValidateOptions<NodeOptions>
{
    public ValidateOptionsResult Validate(string? name, NodeOptions options) =>
        options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
