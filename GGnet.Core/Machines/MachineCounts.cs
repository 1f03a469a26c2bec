using GGnet.Core.Domain.Machines;

namespace GGnet.Core.Machines;

/// <summary>How many machines there are, how many may boot, and where they are in their boot.</summary>
public sealed record MachineCounts(int Total, int Enabled, IReadOnlyDictionary<BootStage, int> ByStage);
