namespace GGnet.Core.Domain.Machines;

/// <summary>A diskless PC, known by its network card's MAC address.</summary>
public sealed class Machine
{
    public const int MaxDescriptionLength = 500;

    private readonly List<MachineEvent> _happened = [];

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

    /// <summary>A new machine, created by <paramref name="actor"/>: recorded, so saving it audits and announces it.</summary>
    public static Machine Create(MachineDetails details, DateTime at, string actor, bool isVirtual = false, string? note = null)
    {
        var machine = new Machine(details, at, isVirtual);
        machine._happened.Add(new MachineEvent(machine, MachineChange.Created, at, actor, Note: note));
        return machine;
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

    /// <summary>The data images (game libraries) each session of this PC gets a copy of, beside its system; its group's too.</summary>
    public IReadOnlyList<int> DataImageIds { get; private set; } = [];

    /// <summary>Attaches exactly these data images (ids of data images, checked by the caller); records the change.</summary>
    public bool AttachDataImages(IReadOnlyList<int> imageIds, string actor, DateTime at)
    {
        var before = DataImagesSummary(DataImageIds);
        DataImageIds = imageIds.Distinct().ToList();
        return Recorded(before, DataImagesSummary(DataImageIds), actor, at);
    }

    /// <summary>How the audit names a set of data images: "data-images=3,7" or "data-images=-".</summary>
    public static string DataImagesSummary(IReadOnlyList<int> imageIds) =>
        "data-images=" + (imageIds.Count == 0 ? "-" : string.Join(',', imageIds.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    public BootStage BootStage { get; private set; }

    public DateTime? BootStageChangedAt { get; private set; }

    public DateTime? LastSeen { get; private set; }

    public DateTime CreatedAt { get; private set; }

    /// <summary>Takes the new details; records the change (false and nothing recorded when nothing changed).</summary>
    public bool Update(MachineDetails details, string actor, DateTime at)
    {
        var before = Summary();
        Apply(details);
        return Recorded(before, Summary(), actor, at);
    }

    /// <summary>Sets the machine's own CHAP (null: the server-wide setting); records the change.</summary>
    public bool UseChap(Iscsi.ChapPolicy? policy, string actor, DateTime at)
    {
        var before = $"chap={ChapName(Chap)}";
        Chap = policy;
        return Recorded(before, $"chap={ChapName(policy)}", actor, at);
    }

    /// <summary>Records that <paramref name="actor"/> deletes the machine; its repository removes it.</summary>
    public void Delete(string actor, DateTime at) => _happened.Add(new MachineEvent(this, MachineChange.Deleted, at, actor, Before: Summary()));

    /// <summary>What was done to the machine since it was read or last taken; taken by the repository that saves it.</summary>
    public IReadOnlyList<MachineEvent> TakeHappened()
    {
        var happened = _happened.ToList();
        _happened.Clear();
        return happened;
    }

    /// <summary>How the audit, the API and the pages name a policy: "default" (the server-wide one), "off", "oneWay", "mutual".</summary>
    public static string ChapName(Iscsi.ChapPolicy? policy) => policy switch
    {
        null => "default",
        Iscsi.ChapPolicy.Off => "off",
        Iscsi.ChapPolicy.OneWay => "oneWay",
        _ => "mutual",
    };

    private bool Recorded(string before, string after, string actor, DateTime at)
    {
        if (before == after)
        {
            return false;
        }
        _happened.Add(new MachineEvent(this, MachineChange.Updated, at, actor, before, after));
        return true;
    }

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
