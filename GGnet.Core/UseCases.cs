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
        typeof(Machines.CreateMachineGroup),
        typeof(Audit.ListAuditEvents),
        typeof(Boot.BootScriptComposer),
        typeof(Boot.ServePcBootScript),
        typeof(Boot.GetMachineBootScript),
        typeof(Boot.SyncBootFiles),
        typeof(Boot.ListDiscoveredPcs),
        typeof(Boot.ApproveDiscoveredPc),
        typeof(Boot.SaveNetworkSettings),
        typeof(Sessions.StartSession),
        typeof(Sessions.StopSession),
        typeof(Sessions.ProvisionSession),
        typeof(Sessions.TeardownSession),
        typeof(Sessions.ListSessions),
        typeof(Sessions.ObserveBoots),
        typeof(Sessions.ReconcileSessions),
        typeof(Lab.AddVirtualPc),
        typeof(Lab.PowerOnVirtualPc),
        typeof(Lab.PowerOffVirtualPc),
        typeof(Lab.RecordVirtualPcOff),
        typeof(Lab.BootVirtualPcs),
        typeof(Lab.WakeVirtualPc),
        typeof(Lab.ChooseMode),
        typeof(Images.ListImages),
        typeof(Images.ImportImage),
        typeof(Images.ConvertImageVersion),
        typeof(Images.CancelImageImport),
        typeof(Images.DeleteImage),
        typeof(Images.CommitMaintenance),
        typeof(Images.DiscardMaintenance),
        typeof(Images.MakeVersionCurrent),
        typeof(Images.UploadImageFile),
        typeof(Images.PurgeKeptDisk),
    ];
}
