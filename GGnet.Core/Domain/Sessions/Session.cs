namespace GGnet.Core.Domain.Sessions;

/// <summary>One machine booting one image version, with its own disk and iSCSI target.</summary>
public sealed class Session
{
    /// <summary>States in which a session still holds its machine; the database allows one such session per machine.</summary>
    public static readonly IReadOnlySet<SessionState> ActiveStates = new HashSet<SessionState>
    {
        SessionState.Pending, SessionState.Provisioning, SessionState.Ready,
        SessionState.Booting, SessionState.Online, SessionState.Stopping,
    };

    /// <summary>Who GGnet is in the audit when it acts by itself.</summary>
    public const string SystemActor = "system";

    private readonly List<SessionEvent> _happened = [];

    private Session()
    {
    }

    public Session(int machineId, int imageVersionId, SessionType type, string nodeName, DateTime createdAt, string? installMedium = null)
    {
        if (installMedium is not null && type != SessionType.Maintenance)
        {
            throw new ArgumentException("Only a maintenance session installs from a medium.", nameof(installMedium));
        }
        InstallMedium = installMedium;
        MachineId = machineId;
        NodeName = nodeName;
        ImageVersionId = imageVersionId;
        Type = type;
        State = SessionState.Pending;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    public int Id { get; private set; }

    public int MachineId { get; private set; }

    public int ImageVersionId { get; private set; }

    public SessionType Type { get; private set; }

    /// <summary>The node that stores the session's disk and serves its target: the node of its image.</summary>
    public string NodeName { get; private set; } = "";

    public SessionState State { get; private set; }

    /// <summary>
    /// An install: the ISO file (in the import folder) the PC boots, a read-only CD-ROM of the session's target beside
    /// its disk, so an OS installer writes onto that disk. Only a maintenance session has one; its commit is the installed system.
    /// </summary>
    public string? InstallMedium { get; private set; }

    /// <summary>
    /// The data images' versions (game libraries) this session gets its own copies of, in this order: the disks on the
    /// LUNs after the system disk. Chosen at the start from the machine's and its group's data images; a normal session's only.
    /// </summary>
    public IReadOnlyList<int> DataImageVersionIds { get; private set; } = [];

    /// <summary>Gives the session copies of these data image versions (before it is saved).</summary>
    public void AttachDataDisks(IReadOnlyList<int> versionIds)
    {
        if (Type != SessionType.Normal && versionIds.Count > 0)
        {
            throw new InvalidOperationException("Only a normal session gets data disks.");
        }
        DataImageVersionIds = versionIds.ToList();
    }

    /// <summary>
    /// A maintenance session of a data image (a game library being updated): the system image version its PC boots from a
    /// throwaway copy, on the LUN after the session's own disk, which is the data image's disk, kept for the commit. Null
    /// for every other session.
    /// </summary>
    public int? SystemCopyVersionId { get; private set; }

    /// <summary>A maintenance session of a data image: its PC boots the copy of <see cref="SystemCopyVersionId"/>.</summary>
    public bool UpdatesDataImage => SystemCopyVersionId is not null;

    /// <summary>
    /// The versions the session gets throwaway copies of beside its own disk, in the order of their LUNs: its data images,
    /// or, updating a data image, the system it boots.
    /// </summary>
    public IReadOnlyList<int> CopiedVersionIds => SystemCopyVersionId is { } system ? [system] : DataImageVersionIds;

    /// <summary>This maintenance session updates a data image; its PC boots a copy of this system image version.</summary>
    public void BootSystemCopy(int systemVersionId)
    {
        if (Type != SessionType.Maintenance || InstallMedium is not null)
        {
            throw new InvalidOperationException("Only a maintenance session without an installer updates a data image.");
        }
        SystemCopyVersionId = systemVersionId;
    }

    /// <summary>What the session wrote beyond its images (its own disk's and its copies' own bytes), as last measured.</summary>
    public long? OwnBytes { get; private set; }

    public DateTime? OwnBytesAt { get; private set; }

    /// <summary>When the session first reached <see cref="SpaceLowShare"/> of its image's write quota (warned once).</summary>
    public DateTime? SpaceLowAt { get; private set; }

    /// <summary>The share of its write quota at which a session is warned about.</summary>
    public const double SpaceLowShare = 0.8;

    // A new measure is saved when it moved this much (or warns): a PC writing all day does not write the database all day.
    private const long SavedMeasureStep = 16L << 20;

    /// <summary>
    /// The session's own bytes, measured now, against its image's write quota (null: none). True when it is worth saving:
    /// the first measure, a move of 16 MiB or more, or the warning at <see cref="SpaceLowShare"/> of the quota (recorded once).
    /// </summary>
    public bool MeasureOwnBytes(long bytes, long? quotaBytes, DateTime at)
    {
        var worthSaving = OwnBytes is not { } last || Math.Abs(bytes - last) >= SavedMeasureStep;
        if (quotaBytes is { } quota && SpaceLowAt is null && bytes >= quota * SpaceLowShare)
        {
            SpaceLowAt = at;
            _happened.Add(new SessionSpaceLow(this, bytes, quota, at));
            worthSaving = true;
        }
        if (worthSaving)
        {
            OwnBytes = bytes;
            OwnBytesAt = at;
        }
        return worthSaving;
    }

    public string? FailureReason { get; private set; }

    /// <summary>Why GGnet stopped the session by itself (a customer's session past its write quota); null when someone stopped it.</summary>
    public string? StopReason { get; private set; }

    /// <summary>Why the session failed, or why GGnet stopped it: what screens show beside its state.</summary>
    public string? EndReason => FailureReason ?? StopReason;

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public DateTime? ReadyAt { get; private set; }

    public DateTime? OnlineAt { get; private set; }

    /// <summary>
    /// When the PC's operating system logged in to the disk itself (a second login after the firmware's), in the
    /// current attach; null while only the firmware (iPXE) has. A boot sector that reads through the firmware never does.
    /// </summary>
    public DateTime? OsTookOverAt { get; private set; }

    /// <summary>When its OS first took its disk over in this session (kept across the PC's restarts): the session's boot proved.</summary>
    public DateTime? OsFirstTookOverAt { get; private set; }

    public DateTime? EndedAt { get; private set; }

    public Target? Target { get; private set; }

    /// <summary>
    /// A disk kept beyond the session: a stopped maintenance session's, until it is committed as the image's next version
    /// or discarded; a persistent PC's own disk, for its next session. A persistent PC's running session holds the own disk
    /// it took over from the start on, so a crash half-way through the start can't leave the disk without an owner.
    /// </summary>
    public string? KeptDiskPath { get; private set; }

    public void KeepDisk(string path) => KeptDiskPath = path;

    /// <summary>This session takes over the disk <paramref name="kept"/> kept; saved together with it (one write).</summary>
    public void TakeOverKeptDisk(Session kept)
    {
        KeptDiskPath = kept.KeptDiskPath ?? throw new InvalidOperationException($"session {kept.Id} keeps no disk");
        kept.ReleaseKeptDisk();
    }

    public void ReleaseKeptDisk() => KeptDiskPath = null;

    public bool IsActive => ActiveStates.Contains(State);

    /// <summary>
    /// Moves the session to <paramref name="state"/> and records it (<see cref="SessionMoved"/>): its repository audits
    /// the move in the same commit, and screens and webhooks hear of it after. <paramref name="note"/> is what the audit
    /// entry says (the target made, why it failed).
    /// </summary>
    public void MoveTo(SessionState state, DateTime at, string? note = null, string actor = SystemActor)
    {
        _happened.Add(new SessionMoved(this, State, state, at, actor, note));
        State = state;
        UpdatedAt = at;
        switch (state)
        {
            case SessionState.Ready:
                ReadyAt ??= at;
                break;
            case SessionState.Online:
                OnlineAt ??= at;
                // A new attach (after the PC was off): its OS has yet to take over.
                OsTookOverAt = null;
                break;
            case SessionState.Stopped or SessionState.Failed:
                EndedAt ??= at;
                break;
        }
    }

    public void ObserveOsTookOver(DateTime at)
    {
        if (OsTookOverAt is null)
        {
            OsTookOverAt = at;
            OsFirstTookOverAt ??= at;
            _happened.Add(new SessionOsTookOver(this, at));
        }
    }

    public void Fail(string reason, DateTime at)
    {
        FailureReason = reason;
        MoveTo(SessionState.Failed, at, reason);
    }

    /// <summary>
    /// Someone asked for the session to end, its teardown follows; <paramref name="why"/>, when GGnet stops it by itself,
    /// is kept (<see cref="StopReason"/>) and goes into the audit.
    /// </summary>
    public void Stop(string actor, DateTime at, string? why = null)
    {
        StopReason = why;
        MoveTo(SessionState.Stopping, at, why, actor);
    }

    /// <summary>What happened to the session since it was read or last taken; taken by the repository that saves it.</summary>
    public IReadOnlyList<SessionEvent> TakeHappened()
    {
        var happened = _happened.ToList();
        _happened.Clear();
        return happened;
    }

    public void AttachTarget(Target target) => Target = target;
}
