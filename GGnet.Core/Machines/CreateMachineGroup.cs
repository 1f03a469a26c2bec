using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Machines;

public sealed class CreateMachineGroup(IMachineGroupRepository groups, TimeProvider clock)
{
    public async Task<MachineGroup> ExecuteAsync(string? name, string? description, string actor, CancellationToken cancellationToken)
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
        if (description is { Length: > 500 })
        {
            errors.Add("description", "A description can be at most 500 characters long.");
        }
        errors.ThrowIfAny();

        if (await groups.FindByNameAsync(trimmed, cancellationToken) is not null)
        {
            throw new ConflictException($"A group named '{trimmed}' already exists.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var group = new MachineGroup(trimmed, string.IsNullOrWhiteSpace(description) ? null : description.Trim());
        await groups.AddAsync(
            group,
            saved => new AuditEvent(now, actor, AuditActions.GroupCreated, "group", saved.Id.ToString(CultureInfo.InvariantCulture), null, $"name={saved.Name}"),
            cancellationToken);
        return group;
    }
}
