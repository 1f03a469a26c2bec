namespace GGnet.Core.Lab;

/// <summary>Whether GGnet runs in lab mode, whether its lab network is up, and a sentence for the admin.</summary>
public sealed record LabStatus(bool Enabled, bool Running, string Sentence, int MaxVirtualPcs)
{
    public static LabStatus Production { get; } =
        new(false, false, "Production mode: PCs boot on the network configured under Boot network.", 0);
}
