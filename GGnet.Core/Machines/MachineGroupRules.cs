using GGnet.Core.Domain.Machines;
using GGnet.Core.Errors;

namespace GGnet.Core.Machines;

/// <summary>What a group's name and description must be, the same for a new group and a renamed one.</summary>
public static class MachineGroupRules
{
    public const int MaxDescriptionLength = 500;

    /// <summary>The trimmed name and description (empty becomes none), or every problem at once.</summary>
    public static (string Name, string? Description) Check(string? name, string? description)
    {
        var errors = new FieldErrors();
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            errors.Add("name", "A group name is required.");
        }
        else if (trimmed.Length > MachineGroup.MaxNameLength || trimmed.Any(char.IsControl))
        {
            errors.Add("name", $"A group name is one line of at most {MachineGroup.MaxNameLength} characters.");
        }
        if (description is { Length: > MaxDescriptionLength })
        {
            errors.Add("description", $"A description can be at most {MaxDescriptionLength} characters long.");
        }
        errors.ThrowIfAny();
        return (trimmed, string.IsNullOrWhiteSpace(description) ? null : description.Trim());
    }
}
