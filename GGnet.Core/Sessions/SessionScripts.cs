using System.Text;
using GGnet.Core.Boot;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Ports;

namespace GGnet.Core.Sessions;

/// <summary>A session start's third step: the PC's TFTP script, attaching the session's target.</summary>
public sealed class SessionScripts(BootScriptComposer scripts, IBootFileStore files)
{
    /// <summary>
    /// The machine's TFTP copy of its script (without secrets) for the session's target on <paramref name="lun"/>; undone,
    /// it is the script of a machine without a session.
    /// </summary>
    public async Task WriteAsync(Session session, Machine machine, string imageLabel, int lun, ChapCredentials? credentials, Stack<Func<Task>> undo,
        CancellationToken cancellationToken)
    {
        var scriptPath = TftpScriptPath.Of(machine.MacAddress);
        var active = new ActiveTarget(session.Id, imageLabel, session.Target!.Iqn, lun, credentials?.User, credentials?.IsMutual ?? false,
            InstallMedium: session.InstallMedium, DataDisks: session.CopiedVersionIds.Count, BootsFromCopy: session.UpdatesDataImage);
        await files.WriteAsync(scriptPath, Encoding.UTF8.GetBytes(scripts.ForTftp(machine, active)), cancellationToken);
        undo.Push(() => files.WriteAsync(scriptPath, Encoding.UTF8.GetBytes(scripts.ForTftp(machine, null)), CancellationToken.None));
    }
}
