using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;

namespace GGnet.Core.Boot;

/// <summary>Everything a per-PC script is rendered from; the machine is null for a PC GGnet doesn't know.</summary>
public sealed record BootScriptRequest(MacAddress MacAddress, Machine? Machine, NoSessionAction NoSessionAction, BootTarget? Target);
