namespace GGnet.Core.Domain.Machines;

/// <summary>A diskless PC, known by its network card's MAC address.</summary>
public sealed class Machine
{
    public const int MaxDescriptionLength = 500;

    // For the persistence layer only.
    private Machine()
    {
        Name = null!;
        MacAddress = null!;
    }

    public Machine(MachineDetails details, DateTime createdAt, bool isVirtual = false)
    {
        IsVirtual = isVirtual;
        Name = details.Name;
        MacAddress = details.MacAddress;
        Apply(details);
        BootStage = BootStage.Idle;
        CreatedAt = createdAt;
    }

    public int Id { get; private set; }

    public Hostname Name { get; private set; }

    public MacAddress MacAddress { get; private set; }

    public Ipv4Address? IpAddress { get; private set; }

    public string? Description { get; private set; }

    public int? GroupId { get; private set; }

    public Firmware Firmware { get; private set; }

    public Iqn? InitiatorIqn { get; private set; }

    public bool Enabled { get; private set; }

    /// <summary>Keeps its session disk when a session stops, and boots it again next time (instead of a fresh copy of the image).</summary>
    public bool Persistent { get; private set; }

    /// <summary>A lab PC: a QEMU guest GGnet runs on its private lab network, powered on and off from GGnet.</summary>
    public bool IsVirtual { get; private set; }

    /// <summary>What the PC does when it boots without a session.</summary>
    public Boot.NoSessionAction NoSessionAction { get; private set; }

    /// <summary>How the PC's iPXE fetches its script.</summary>
    public Boot.ScriptTransport ScriptTransport { get; private set; }

    /// <summary>CHAP for this PC's targets; null follows the server-wide setting.</summary>
    public Iscsi.ChapPolicy? Chap { get; private set; }

    /// <summary>The PC's CHAP secret, encrypted (never readable in the database); generated when first needed.</summary>
    public string? ProtectedChapSecret { get; private set; }

    /// <summary>The target's secret for mutual CHAP, encrypted.</summary>
    public string? ProtectedMutualChapSecret { get; private set; }

    public BootStage BootStage { get; private set; }

    public DateTime? BootStageChangedAt { get; private set; }

    public DateTime? LastSeen { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public void Update(MachineDetails details) => Apply(details);

    public void UseChap(Iscsi.ChapPolicy? policy) => Chap = policy;

    /// <summary>Keeps newly generated secrets (already encrypted); the next session's target uses them.</summary>
    public void StoreChapSecrets(string protectedSecret, string protectedMutualSecret)
    {
        ProtectedChapSecret = protectedSecret;
        ProtectedMutualChapSecret = protectedMutualSecret;
    }

    /// <summary>
    /// Whether a script fetch at <paramref name="fetchedAt"/>, saved a moment later with others, still moves a machine whose
    /// stage changed at <paramref name="stageChangedAt"/>: not when the PC got further after it (its disk attached, an
    /// attach failed), or the saved fetch would move it back.
    /// </summary>
    public static bool FetchStillMoves(DateTime? stageChangedAt, DateTime fetchedAt) => stageChangedAt is not { } changed || changed <= fetchedAt;

    public void ObserveBootStage(BootStage stage, DateTime at)
    {
        if (stage != BootStage)
        {
            BootStage = stage;
            BootStageChangedAt = at;
        }
        LastSeen = at;
    }

    /// <summary>A one-line summary for the audit log.</summary>
    public string Summary() =>
        $"name={Name} mac={MacAddress} ip={IpAddress?.Value ?? "-"} group={GroupId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} " +
        $"firmware={Firmware.ToString().ToLowerInvariant()} iqn={InitiatorIqn?.Value ?? "-"} enabled={(Enabled ? "yes" : "no")} " +
        $"no-session={NoSessionAction.ToString().ToLowerInvariant()} script={ScriptTransport.ToString().ToLowerInvariant()}" +
        (Persistent ? " persistent=yes" : "") + (IsVirtual ? " virtual=yes" : "") +
        (Description is null ? "" : $" description=\"{Description}\"");

    private void Apply(MachineDetails details)
    {
        Name = details.Name;
        MacAddress = details.MacAddress;
        IpAddress = details.IpAddress;
        Description = details.Description;
        GroupId = details.GroupId;
        Firmware = details.Firmware;
        InitiatorIqn = details.InitiatorIqn;
        Enabled = details.Enabled;
        NoSessionAction = details.NoSessionAction;
        ScriptTransport = details.ScriptTransport;
        Persistent = details.Persistent;
    }
}
