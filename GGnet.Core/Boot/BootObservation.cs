using GGnet.Core.Domain.Machines;

namespace GGnet.Core.Boot;

/// <summary>What GGnet saw of a PC at a moment: the boot stage it is in now, and the event on its timeline, if any.</summary>
public sealed record BootObservation(int MachineId, BootStage Stage, BootEvent? Event, DateTime At);
