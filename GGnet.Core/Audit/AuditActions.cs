namespace GGnet.Core.Audit;

/// <summary>The names under which changes are recorded.</summary>
public static class AuditActions
{
    public const string MachineCreated = "machine.created";
    public const string MachineUpdated = "machine.updated";
    public const string MachineDeleted = "machine.deleted";
    public const string ChapSecrets = "machine.chap-secrets";
    public const string ChapSecretsShown = "machine.chap-secrets-shown";
    public const string GroupCreated = "group.created";
    public const string GroupRenamed = "group.renamed";
    public const string GroupDeleted = "group.deleted";
    public const string BackupCreated = "backup.created";
    public const string AuditPruned = "audit.pruned";
    public const string BootRecordsPruned = "boot.pruned";
    public const string UserCreated = "user.created";
    public const string PasswordChanged = "user.password-changed";
    public const string UserRoleChanged = "user.role-changed";
    public const string UserPasswordReset = "user.password-reset";
    public const string UserDisabled = "user.disabled";
    public const string UserEnabled = "user.enabled";
    public const string UserDeleted = "user.deleted";
    public const string UserLoggedIn = "user.logged-in";
    public const string TokenIssued = "token.issued";
    public const string TokenRevoked = "token.revoked";
    public const string DhcpApplied = "dhcp.applied";
    public const string DhcpRejected = "dhcp.rejected";
    public const string NetworkChanged = "settings.network-changed";
    public const string SessionStarted = "session.started";
    public const string SessionStopped = "session.stop-requested";
    public const string SessionReady = "session.ready";
    public const string SessionFailed = "session.failed";
    public const string SessionEnded = "session.stopped";
    public const string Reconciled = "session.reconciled";
    public const string VirtualPcPoweredOn = "virtual-pc.powered-on";
    public const string VirtualPcPoweredOff = "virtual-pc.powered-off";
    public const string ModeChanged = "settings.mode-changed";
    public const string ChapTurnedOn = "settings.chap-turned-on";
    public const string ImageImported = "image.imported";
    public const string ImageUploaded = "image.uploaded";
    public const string ImageReady = "image.ready";
    public const string ImageFailed = "image.failed";
    public const string ImageDeleted = "image.deleted";
    public const string ImageCommitted = "image.version-committed";
    public const string MaintenanceDiscarded = "image.maintenance-discarded";
    public const string ImageRolledBack = "image.current-version-changed";
    public const string VersionPruned = "image.version-pruned";
    public const string VersionRetained = "image.version-retained";
    public const string KeptDiskPurged = "session.kept-disk-purged";
    public const string MachineWoken = "machine.woken";
    public const string ScheduleCreated = "schedule.created";
    public const string ScheduleDeleted = "schedule.deleted";
    public const string ScheduleRan = "schedule.ran";
    public const string WebhookCreated = "webhook.created";
    public const string WebhookUpdated = "webhook.updated";
    public const string WebhookDeleted = "webhook.deleted";
    public const string WebhookSecretShown = "webhook.secret-shown";
}
