namespace GGnet.Core.Iscsi;

/// <summary>The iSCSI backend refused or failed an operation; the message says what, the detail is the program's own output.</summary>
public sealed class IscsiBackendException(string message, string? programOutput = null) : Exception(message)
{
    public string? ProgramOutput { get; } = programOutput;
}
