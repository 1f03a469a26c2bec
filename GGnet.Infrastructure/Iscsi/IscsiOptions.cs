using System.ComponentModel.DataAnnotations;
using GGnet.Core.Domain.Sessions;

namespace GGnet.Infrastructure.Iscsi;

/// <summary>Which iSCSI target exports session disks, and how GGnet reaches it. Section <c>Iscsi</c>.</summary>
public sealed class IscsiOptions
{
    public const string Section = "Iscsi";

    public IscsiBackendKind Backend { get; set; } = IscsiBackendKind.Tgt;

    [Required]
    public string TgtadmPath { get; set; } = "/usr/sbin/tgtadm";

    /// <summary>tgtd's control port (<c>tgtadm -C</c>, at most 32767); 0 is the system's tgtd.</summary>
    [Range(0, 32767)]
    public int TgtControlPort { get; set; }

    /// <summary>tgtd's IPC socket base path (TGT_IPC_SOCKET), for a tgtd of GGnet's own; empty for the system's.</summary>
    public string? TgtIpcSocket { get; set; }

    /// <summary>Run a tgtd of GGnet's own (with <see cref="TgtControlPort"/> and <see cref="TgtIpcSocket"/>) instead of the system's tgt service.</summary>
    public bool RunOwnTgtd { get; set; }

    /// <summary>A network namespace to run tgtd and tgtadm in (lab mode); empty is the host's network.</summary>
    public string? NetworkNamespace { get; set; }

    [Required]
    public string TgtdPath { get; set; } = "/usr/sbin/tgtd";

    /// <summary>
    /// tgtd's I/O threads for each disk it serves (<c>tgtd -t</c>), for GGnet's own tgtd (install.sh gives the system's
    /// tgt service the same). tgt's default, 16, is 16 threads a disk: 32,000 for 1000 PCs with a game disk each, as many
    /// as the kernel allows processes by default. 4 read and write as fast here (docs/benchmarks.md).
    /// </summary>
    [Range(1, 64)]
    public int TgtIoThreads { get; set; } = 4;

    /// <summary>Where GGnet's own tgtd listens for PCs (port 3260); the server's boot-network address.</summary>
    [Required]
    public string PortalAddress { get; set; } = "0.0.0.0";

    [Required]
    public string TargetcliPath { get; set; } = "/usr/bin/targetcli";

    /// <summary>How long to keep retrying a delete that tgt refuses while I/O is in flight.</summary>
    [Range(0, 60_000)]
    public int DeleteRetryMilliseconds { get; set; } = 10_000;

    /// <summary>CHAP for every PC's target unless the machine says otherwise: Off, OneWay (the PC proves itself) or Mutual (the target too).</summary>
    public GGnet.Core.Iscsi.ChapPolicy Chap { get; set; } = GGnet.Core.Iscsi.ChapPolicy.OneWay;
}
