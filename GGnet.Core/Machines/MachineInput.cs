using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Errors;

namespace GGnet.Core.Machines;

/// <summary>
/// A machine as typed by a user (form, API or import): raw text, parsed here into value objects.
/// Field names in errors are the API's: name, macAddress, ipAddress, groupId, firmware, initiatorIqn, description.
/// </summary>
public sealed record MachineInput
{
    public string? Name { get; init; }

    public string? MacAddress { get; init; }

    public string? IpAddress { get; init; }

    public int? GroupId { get; init; }

    /// <summary>"bios" or "uefi"; BIOS when left empty.</summary>
    public string? Firmware { get; init; }

    public string? InitiatorIqn { get; init; }

    public string? Description { get; init; }

    public bool Enabled { get; init; } = true;

    /// <summary>"wait" (default) or "localDisk": what the PC does when it boots without a session.</summary>
    public string? NoSessionAction { get; init; }

    /// <summary>"http" (default, TFTP as fallback) or "tftp": how the PC's iPXE fetches its script.</summary>
    public string? ScriptTransport { get; init; }

    /// <summary>Keep the PC's disk between sessions (its changes survive a reboot) instead of a fresh copy each time.</summary>
    public bool Persistent { get; init; }

    public static MachineInput From(Machine machine) => new()
    {
        Name = machine.Name.Value,
        MacAddress = machine.MacAddress.Value,
        IpAddress = machine.IpAddress?.Value,
        GroupId = machine.GroupId,
        Firmware = machine.Firmware.ToString().ToLowerInvariant(),
        InitiatorIqn = machine.InitiatorIqn?.Value,
        Description = machine.Description,
        Enabled = machine.Enabled,
        NoSessionAction = machine.NoSessionAction.ToString(),
        ScriptTransport = machine.ScriptTransport.ToString(),
        Persistent = machine.Persistent,
    };

    /// <summary>Parses every field; throws <see cref="InvalidInputException"/> naming each bad one.</summary>
    public MachineDetails ToDetails()
    {
        var errors = new FieldErrors();
        if (!Hostname.TryParse(Name, out var name, out var nameError))
        {
            errors.Add("name", nameError);
        }
        if (!Domain.MacAddress.TryParse(MacAddress, out var mac, out var macError))
        {
            errors.Add("macAddress", macError);
        }
        Report(errors, "ipAddress", ValidateIpAddress(IpAddress));
        Report(errors, "firmware", ValidateFirmware(Firmware));
        Report(errors, "initiatorIqn", ValidateInitiatorIqn(InitiatorIqn));
        Report(errors, "description", ValidateDescription(Description));
        Report(errors, "noSessionAction", ValidateNoSessionAction(NoSessionAction));
        Report(errors, "scriptTransport", ValidateScriptTransport(ScriptTransport));
        errors.ThrowIfAny();

        return new MachineDetails(
            name!,
            mac!,
            string.IsNullOrWhiteSpace(IpAddress) ? null : Ipv4Address.Parse(IpAddress),
            string.IsNullOrWhiteSpace(Description) ? null : Description.Trim(),
            GroupId,
            ParseFirmware(Firmware),
            string.IsNullOrWhiteSpace(InitiatorIqn) ? null : Iqn.Parse(InitiatorIqn),
            Enabled,
            string.IsNullOrWhiteSpace(NoSessionAction) ? Boot.NoSessionAction.Wait : Enum.Parse<Boot.NoSessionAction>(NoSessionAction.Trim(), ignoreCase: true),
            string.IsNullOrWhiteSpace(ScriptTransport) ? Boot.ScriptTransport.Http : Enum.Parse<Boot.ScriptTransport>(ScriptTransport.Trim(), ignoreCase: true),
            Persistent);
    }

    public static string? ValidateName(string? text) => Hostname.TryParse(text, out _, out var error) ? null : error;

    public static string? ValidateMacAddress(string? text) => Domain.MacAddress.TryParse(text, out _, out var error) ? null : error;

    public static string? ValidateIpAddress(string? text) =>
        string.IsNullOrWhiteSpace(text) || Ipv4Address.TryParse(text, out _, out var error) ? null : error;

    public static string? ValidateInitiatorIqn(string? text) =>
        string.IsNullOrWhiteSpace(text) || Iqn.TryParse(text, out _, out var error) ? null : error;

    public static string? ValidateFirmware(string? text) =>
        string.IsNullOrWhiteSpace(text) || Enum.GetNames<Firmware>().Contains(text.Trim(), StringComparer.OrdinalIgnoreCase)
            ? null
            : "Firmware is either 'bios' or 'uefi'.";

    public static string? ValidateNoSessionAction(string? text) =>
        string.IsNullOrWhiteSpace(text) || Enum.GetNames<Boot.NoSessionAction>().Contains(text.Trim(), StringComparer.OrdinalIgnoreCase)
            ? null
            : "Without a session a PC can either 'wait' or boot its 'localDisk'.";

    public static string? ValidateScriptTransport(string? text) =>
        string.IsNullOrWhiteSpace(text) || Enum.GetNames<Boot.ScriptTransport>().Contains(text.Trim(), StringComparer.OrdinalIgnoreCase)
            ? null
            : "A PC fetches its script over 'http' (with TFTP as fallback) or 'tftp'.";

    public static string? ValidateDescription(string? text)
    {
        if (text is null)
        {
            return null;
        }
        if (text.Length > Machine.MaxDescriptionLength)
        {
            return $"A description can be at most {Machine.MaxDescriptionLength} characters long.";
        }
        return text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'))
            ? "A description can't hold control characters."
            : null;
    }

    private static Firmware ParseFirmware(string? text) =>
        string.IsNullOrWhiteSpace(text) ? Domain.Machines.Firmware.Bios : Enum.Parse<Firmware>(text.Trim(), ignoreCase: true);

    private static void Report(FieldErrors errors, string field, string? error)
    {
        if (error is not null)
        {
            errors.Add(field, error);
        }
    }
}
