namespace GGnet.Core;

/// <summary>The use cases the outer layers compose.</summary>
public static class UseCases
{
    public static readonly IReadOnlyList<Type> All =
    [
        typeof(Machines.ListMachines),
        typeof(Machines.CountMachines),
        typeof(Machines.GetMachine),
        typeof(Machines.MachineRules),
        typeof(Machines.CreateMachine),
        typeof(Machines.UpdateMachine),
        typeof(Machines.DeleteMachine),
        typeof(Machines.ImportMachines),
        typeof(Machines.ExportMachines),
        typeof(Machines.CreateMachineGroup),
        typeof(Machines.RenameMachineGroup),
        typeof(Machines.DeleteMachineGroup),
        typeof(Audit.ListAuditEvents),
        typeof(Audit.PruneAuditEvents),
        typeof(Boot.PruneBootRecords),
        typeof(Backups.BackUp),
        typeof(Iscsi.SetMachineChap),
        typeof(Iscsi.TurnOnChap),
        typeof(Iscsi.ListenOnBootNetwork),
        typeof(Boot.GetMachineBootScript),
        typeof(Boot.SyncBootFiles),
        typeof(Boot.ListDiscoveredPcs),
        typeof(Boot.ApproveDiscoveredPc),
        typeof(Boot.SaveNetworkSettings),
        typeof(Lab.SwitchToProduction),
        typeof(Sessions.StartSession),
        typeof(Bulk.StartSessions),
        typeof(Health.CheckHealth),
        typeof(Bulk.StopSessions),
        typeof(Bulk.WakeMachines),
        typeof(Bulk.AssignGroup),
        typeof(Schedules.CreateSchedule),
        typeof(Schedules.DeleteSchedule),
        typeof(Schedules.RunSchedule),
        typeof(Schedules.WakeBootWave),
        typeof(Sessions.StopSession),
        typeof(Sessions.ProvisionSession),
        typeof(Sessions.SessionDisks),
        typeof(Sessions.SessionTargets),
        typeof(Sessions.SessionScripts),
        typeof(Sessions.TeardownSession),
        typeof(Sessions.ListSessions),
        typeof(Sessions.ObserveBoots),
        typeof(Sessions.ReconcileSessions),
        typeof(Nodes.ListNodes),
        typeof(Nodes.FailLostNodeSessions),
        typeof(Lab.AddVirtualPc),
        typeof(Lab.PowerOnVirtualPc),
        typeof(Lab.PowerOffVirtualPc),
        typeof(Lab.RecordVirtualPcOff),
        typeof(Lab.BootVirtualPcs),
        typeof(Lab.WakeVirtualPc),
        typeof(Lab.ChooseMode),
        typeof(Images.ListImages),
        typeof(Images.ImportImage),
        typeof(Images.CreateBlankImage),
        typeof(Images.ConvertImageVersion),
        typeof(Images.CancelImageImport),
        typeof(Images.DeleteImage),
        typeof(Images.DataImageHolders),
        typeof(Images.SetImageKind),
        typeof(Images.SetSessionQuota),
        typeof(Storage.MeasureSessionSpace),
        typeof(Machines.AttachDataImages),
        typeof(Images.CommitMaintenance),
        typeof(Images.PruneVersions),
        typeof(Images.DiscardMaintenance),
        typeof(Images.MakeVersionCurrent),
        typeof(Images.TestCandidate),
        typeof(Images.RetestVersion),
        typeof(Images.Canaries),
        typeof(Images.WatchCanaries),
        typeof(Images.UploadImageFile),
        typeof(Images.PurgeKeptDisk),
        typeof(Storage.ListSessionDiskUsage),
        typeof(Webhooks.DeliverWebhook),
        typeof(Webhooks.PruneWebhookDeliveries),
        typeof(Webhooks.CreateWebhookEndpoint),
        typeof(Webhooks.UpdateWebhookEndpoint),
        typeof(Webhooks.DeleteWebhookEndpoint),
        typeof(Webhooks.RevealWebhookSecret),
    ];

    /// <summary>
    /// The boot path: what answers a PC's script request. Built once for the process (a hall booting at once asks
    /// thousands of times a second); everything it uses is one for the process as well. Its one state is
    /// <see cref="Boot.ServePcBootScript"/>'s rendered scripts for PCs without a session, kept as long as their inputs.
    /// </summary>
    public static readonly IReadOnlyList<Type> BootPath =
    [
        typeof(Iscsi.MachineChap),
        typeof(Boot.BootScriptComposer),
        typeof(Boot.ServePcBootScript),
    ];

    /// <summary>What follows a commit, whoever made it (the session and machine repositories call them): one of each for the process.</summary>
    public static readonly IReadOnlyList<Type> AfterCommit =
    [
        typeof(Webhooks.PublishWebhookEvents),
        typeof(Sessions.AfterSessionCommit),
        typeof(Machines.AfterMachineCommit),
    ];
}
