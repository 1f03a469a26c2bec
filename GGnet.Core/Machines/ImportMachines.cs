using GGnet.Core.Domain.Machines;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Machines;

/// <summary>One row the import refused, by its line in the file, with every reason.</summary>
public sealed record RejectedRow(int Line, IReadOnlyList<string> Problems);

/// <summary>What an import did: all rows imported, or none and the rows that stopped it.</summary>
public sealed record MachineImportReport(int Imported, IReadOnlyList<RejectedRow> Rejected)
{
    public bool Succeeded => Rejected.Count == 0;
}

/// <summary>
/// Machines from a CSV file (the columns of <see cref="MachineCsv"/>; name and mac required). Every row is checked as
/// the form would check it, against the others in the file and against the machines already there. Nothing is
/// imported unless every row is right: the report lists each bad row and why.
/// </summary>
public sealed class ImportMachines(
    IMachineRepository machines,
    IMachineGroupRepository groups,
    MachineRules rules,
    TimeProvider clock)
{
    public const int MaxRows = 5000;

    public async Task<MachineImportReport> ExecuteAsync(string csv, string actor, CancellationToken cancellationToken)
    {
        var (header, rows, refusal) = ReadFile(csv);
        if (refusal is not null)
        {
            return refusal;
        }

        var groupIds = (await groups.ListAsync(cancellationToken)).ToDictionary(g => g.Name, g => g.Id, StringComparer.OrdinalIgnoreCase);
        var rejected = new List<RejectedRow>();
        var accepted = new List<Machine>();
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var (line, fields) in rows)
        {
            var (details, problems) = await CheckRowAsync(header, fields, groupIds, accepted, cancellationToken);
            if (problems.Count > 0)
            {
                rejected.Add(new RejectedRow(line, problems));
            }
            else
            {
                accepted.Add(Machine.Create(details!, now, actor, note: "imported"));
            }
        }
        if (rejected.Count > 0)
        {
            return new MachineImportReport(0, rejected);
        }
        await machines.AddManyAsync(accepted, cancellationToken);
        return new MachineImportReport(accepted.Count, []);
    }

    // The header (lower case) and the machine rows, or the refusal of the whole file.
    private static (IReadOnlyList<string> Header, IReadOnlyList<(int Line, IReadOnlyList<string> Fields)> Rows, MachineImportReport? Refusal) ReadFile(string csv)
    {
        IReadOnlyList<(int Line, IReadOnlyList<string> Fields)> rows;
        try
        {
            rows = Csv.Parse(csv);
        }
        catch (FormatException broken)
        {
            return ([], [], Refused(1, broken.Message));
        }
        if (rows.Count < 2)
        {
            return ([], [], Refused(1, $"The file has no machines: the first line names the columns ({string.Join(',', MachineCsv.Columns)}), each further line is a machine."));
        }
        var header = rows[0].Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        var unknown = header.Where(h => !MachineCsv.Columns.Contains(h)).ToList();
        if (unknown.Count > 0 || !header.Contains("name") || !header.Contains("mac"))
        {
            return ([], [], Refused(rows[0].Line, unknown.Count > 0
                ? $"Unknown column(s) {string.Join(", ", unknown)}; the columns are {string.Join(',', MachineCsv.Columns)}."
                : "The columns 'name' and 'mac' are required."));
        }
        if (rows.Count - 1 > MaxRows)
        {
            return ([], [], Refused(rows[1].Line, $"At most {MaxRows} machines per file; split it."));
        }
        return (header, rows.Skip(1).ToList(), null);
    }

    // One row checked as the form checks it, against the rows accepted before it and the machines already there.
    private async Task<(MachineDetails? Details, List<string> Problems)> CheckRowAsync(IReadOnlyList<string> header, IReadOnlyList<string> fields,
        Dictionary<string, int> groupIds, IReadOnlyList<Machine> accepted, CancellationToken cancellationToken)
    {
        if (fields.Count != header.Count)
        {
            return (null, [$"{fields.Count} fields where the header has {header.Count}."]);
        }
        var (input, groupName, rowProblems) = MachineCsv.InputOf(header.Zip(fields).ToDictionary(p => p.First, p => p.Second));
        var problems = rowProblems.ToList();
        if (groupName is not null)
        {
            if (groupIds.TryGetValue(groupName, out var groupId))
            {
                input = input with { GroupId = groupId };
            }
            else
            {
                problems.Add($"group: there is no group named '{Domain.Printable.Of(groupName)}'; create it first.");
            }
        }
        try
        {
            var details = input.ToDetails();
            problems.AddRange(DuplicatesInFile(details, accepted));
            if (problems.Count == 0)
            {
                await rules.EnsureAllowedAsync(details, exceptId: null, cancellationToken);
                return (details, problems);
            }
        }
        catch (InvalidInputException invalid)
        {
            problems.AddRange(invalid.Errors.SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}")));
        }
        catch (ConflictException clash)
        {
            problems.Add(clash.Message);
        }
        return (null, problems);
    }

    private static IEnumerable<string> DuplicatesInFile(MachineDetails details, IReadOnlyList<Machine> earlier)
    {
        if (earlier.FirstOrDefault(m => m.MacAddress == details.MacAddress) is { } sameMac)
        {
            yield return $"The MAC address {details.MacAddress} is already in this file, for '{sameMac.Name}'.";
        }
        if (earlier.FirstOrDefault(m => m.Name == details.Name) is not null)
        {
            yield return $"The name '{details.Name}' is already in this file.";
        }
        if (details.IpAddress is { } ip && earlier.FirstOrDefault(m => m.IpAddress == ip) is { } sameIp)
        {
            yield return $"The address {ip} is already in this file, for '{sameIp.Name}'.";
        }
    }

    private static MachineImportReport Refused(int line, string problem) => new(0, [new RejectedRow(line, [problem])]);
}

/// <summary>Every machine as CSV, in the columns the import reads back.</summary>
public sealed class ExportMachines(IMachineRepository machines, IMachineGroupRepository groups)
{
    public async Task<string> ExecuteAsync(CancellationToken cancellationToken)
    {
        var groupNames = (await groups.ListAsync(cancellationToken)).ToDictionary(g => g.Id, g => g.Name);
        var csv = new System.Text.StringBuilder(MachineCsv.Header);
        for (var page = 1; ; page++)
        {
            var found = await machines.ListAsync(new MachineQuery(new Common.PageRequest(page, Common.PageRequest.MaxPageSize)), cancellationToken);
            foreach (var machine in found.Items)
            {
                csv.Append(MachineCsv.RowOf(machine, machine.GroupId is { } id ? groupNames.GetValueOrDefault(id) : null));
            }
            if (found.Items.Count < Common.PageRequest.MaxPageSize)
            {
                return csv.ToString();
            }
        }
    }
}
