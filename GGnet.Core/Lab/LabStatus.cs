namespace GGnet.Core.Lab;

/// <summary>Whether GGnet runs in lab mode, whether its lab network is up, and a sentence for the admin.</summary>
public sealed record LabStatus(bool Enabled, bool Running, string Sentence, int MaxVirtualPcs)
{
    /// <summary>How virtual PCs run (QEMU's accelerator: kvm or tcg) once the lab has found out; null before.</summary>
    public string? Accelerator { get; init; }

    public static LabStatus Production { get; } =
        new(false, false, "Production mode: PCs boot on the network configured under Boot network.", 0);
}
