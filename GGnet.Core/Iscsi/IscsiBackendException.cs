namespace GGnet.Core.Iscsi;

/// <summary>The iSCSI backend refused or failed an operation; the message says what, in the program's own words where it gave some.</summary>
public sealed class IscsiBackendException(string message) : Exception(message);
