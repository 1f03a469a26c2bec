using System.Globalization;
using GGnet.Core.Domain.Machines;

namespace GGnet.Core.Machines;

/// <summary>The machines list as CSV: the columns, a machine as a row, a row as the input a form would give.</summary>
public static class MachineCsv
{
    public static readonly IReadOnlyList<string> Columns =
        ["name", "mac", "ip", "group", "firmware", "description", "enabled", "persistent", "initiator_iqn", "script_transport", "no_session_action"];

    public static string Header => Csv.Row(Columns);

    public static string RowOf(Machine machine, string? groupName) => Csv.Row(
    [
        machine.Name.Value, machine.MacAddress.Value, machine.IpAddress?.Value, groupName, machine.Firmware.ToString().ToLowerInvariant(), machine.Description,
        machine.Enabled ? "yes" : "no", machine.Persistent ? "yes" : "no", machine.InitiatorIqn?.Value,
        machine.ScriptTransport.ToString().ToLowerInvariant(), JsonName(machine.NoSessionAction.ToString()),
    ]);

    /// <summary>A row as machine input; the group goes by name. Problems with the row's own text come back as sentences.</summary>
    public static (MachineInput Input, string? GroupName, IReadOnlyList<string> Problems) InputOf(IReadOnlyDictionary<string, string> row)
    {
        var problems = new List<string>();
        string? Value(string column) => row.TryGetValue(column, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        bool Flag(string column, bool fallback)
        {
            var text = Value(column)?.ToLowerInvariant();
            switch (text)
            {
                case null:
                    return fallback;
                case "yes" or "true" or "1":
                    return true;
                case "no" or "false" or "0":
                    return false;
                default:
                    problems.Add($"{column}: '{text}' is not yes or no.");
                    return fallback;
            }
        }
        var input = new MachineInput
        {
            Name = Value("name"),
            MacAddress = Value("mac"),
            IpAddress = Value("ip"),
            Firmware = Value("firmware"),
            // An exported description that looked like a formula was written behind a quote mark: it comes back without it.
            Description = Value("description") is { } description && description.Length > 1
                && description[0] == '\'' && description[1] is '=' or '+' or '-' or '@'
                ? description[1..]
                : Value("description"),
            Enabled = Flag("enabled", true),
            Persistent = Flag("persistent", false),
            InitiatorIqn = Value("initiator_iqn"),
            ScriptTransport = Value("script_transport"),
            NoSessionAction = Value("no_session_action"),
        };
        return (input, Value("group"), problems);
    }

    private static string JsonName(string name) => char.ToLower(name[0], CultureInfo.InvariantCulture) + name[1..];
}
