namespace GGnet.Core.Sessions;

/// <summary>
/// When this GGnet process started. A session left in Provisioning before then was being prepared by a process
/// that is gone (killed, crashed, power cut): nobody finishes it, so reconcile fails it at once with a reason
/// instead of waiting for it to look stuck.
/// </summary>
public sealed record ServerStart(DateTime At);
