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
    ];
}
