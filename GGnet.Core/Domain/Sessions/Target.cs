namespace GGnet.Core.Domain.Sessions;

/// <summary>The iSCSI target that exports a session's disk to its machine.</summary>
public sealed class Target
{
    private Target()
    {
        Iqn = null!;
        LunPath = "";
    }

    public Target(Iqn iqn, string lunPath, IscsiBackendKind backend, int lun, string? chapUser, bool chapMutual = false)
    {
        Iqn = iqn;
        LunPath = lunPath;
        Backend = backend;
        Lun = lun;
        ChapUser = chapUser;
        ChapMutual = chapMutual;
    }

    public int Id { get; private set; }

    public int SessionId { get; private set; }

    public Iqn Iqn { get; private set; }

    /// <summary>The file the target's disk LUN reads and writes.</summary>
    public string LunPath { get; private set; }

    public IscsiBackendKind Backend { get; private set; }

    /// <summary>The LUN the backend put the disk on (tgt: 1, as its LUN 0 is the controller; LIO: 0), as the PC's script names it.</summary>
    public int Lun { get; private set; }

    /// <summary>With CHAP: the user the PC logs in as (its secret is the machine's, stored encrypted).</summary>
    public string? ChapUser { get; private set; }

    /// <summary>With mutual CHAP the target proves itself too, as <see cref="ChapUser"/> + "-target".</summary>
    public bool ChapMutual { get; private set; }
}
