using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Ports;

namespace GGnet.Core.Backups;

/// <summary>How many backups are kept; older ones go when a new one is made.</summary>
public sealed record BackupRetention(int Keep);

/// <summary>Makes a backup now (the nightly job or the button), then keeps only the newest ones; audited.</summary>
public sealed class BackUp(IBackupArchive archive, BackupRetention retention, IAuditLog audit, TimeProvider clock)
{
    public async Task<BackupInfo> ExecuteAsync(string actor, CancellationToken cancellationToken)
    {
        var backup = await archive.CreateAsync(cancellationToken);
        foreach (var old in archive.List().Skip(Math.Max(1, retention.Keep)))
        {
            archive.Delete(old);
        }
        await audit.WriteAsync(new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.BackupCreated, "backup", backup.Name, null,
            string.Create(CultureInfo.InvariantCulture, $"{backup.Bytes} bytes")), cancellationToken);
        return backup;
    }
}
