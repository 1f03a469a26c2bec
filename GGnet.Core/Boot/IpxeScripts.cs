using System.Globalization;
using System.Text;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Images;

namespace GGnet.Core.Boot;

/// <summary>
/// Renders the iPXE scripts PCs run. Pure functions: the same input gives the same text, byte for byte.
/// Only validated values (value objects, numbers, the settings' URL) and <see cref="IpxeText.Safe"/> text reach a script.
/// </summary>
public static class IpxeScripts
{
    private static readonly int[] RetryDelaysSeconds = [2, 4, 8, 16];

    /// <summary>
    /// The first script every PC runs (served as boot.ipxe): fetch this PC's own script over HTTP, then TFTP,
    /// retrying with a growing pause, and boot the local disk if GGnet never answers.
    /// </summary>
    public static string Generic(NetworkSettings network)
    {
        var script = new StringBuilder();
        script.Append("#!ipxe\n");
        script.Append("# GGnet: every PC starts here and fetches its own script by MAC address.\n");
        script.Append("echo GGnet: network boot of ${mac} (${ip})\n");
        script.Append(CultureInfo.InvariantCulture, $"set ggnet-http {network.BootUrl}/${{mac:hexhyp}}.ipxe?platform=${{platform:uristring}}&arch=${{buildarch:uristring}}\n");
        script.Append(CultureInfo.InvariantCulture, $"set ggnet-tftp tftp://{network.ServerAddress}/{TftpScriptPath.OfThisPc}\n");
        foreach (var delay in RetryDelaysSeconds)
        {
            script.Append("chain --replace --autofree ${ggnet-http} || chain --replace --autofree ${ggnet-tftp} ||\n");
            script.Append(CultureInfo.InvariantCulture, $"echo GGnet: no answer from {network.ServerAddress} yet, trying again in {delay} seconds.\n");
            script.Append(CultureInfo.InvariantCulture, $"sleep {delay}\n");
        }
        script.Append("chain --replace --autofree ${ggnet-http} || chain --replace --autofree ${ggnet-tftp} ||\n");
        script.Append(CultureInfo.InvariantCulture, $"echo GGnet: the server {network.ServerAddress} did not answer. Booting from the local disk.\n");
        script.Append("sleep 5\n");
        script.Append("exit 1\n");
        return script.ToString();
    }

    /// <summary>The script for one PC: attach its session's disk, or wait, or go to the local disk.</summary>
    public static string ForPc(BootScriptRequest request, NetworkSettings network) => request switch
    {
        { Machine: null } => Unknown(request, network),
        { Machine.Enabled: false } => Disabled(request.Machine),
        { Target: { Chap: null, ChapRequired: true } } => ChapWithheld(request.Machine, request.Target, network),
        { Target.InstallMediumLun: not null } => Install(request.Machine, request.Target, network),
        { Target: not null } => Sanboot(request.Machine, request.Target, network),
        { NoSessionAction: NoSessionAction.LocalDisk } => LocalDisk(request.Machine),
        _ => Waiting(request.Machine, network),
    };

    private static string Sanboot(Machine machine, BootTarget target, NetworkSettings network)
    {
        var script = Header(machine);
        script.Append(CultureInfo.InvariantCulture, $"echo GGnet: {machine.Name} ({machine.MacAddress}), session {target.SessionId}, image {IpxeText.Safe(target.ImageLabel)}\n");
        AppendLogin(script, target);
        script.Append(":attach\n");
        // Data disks first, each its own SAN drive after the system disk's. Not described in the iBFT: they are LUNs of the
        // target the OS logs in to from the system disk's entry, and it finds them there (a second entry for the same
        // target would make it log in twice and see every disk twice). A data image's maintenance swaps the two: the PC
        // boots the copy of a system on the next LUN, the data image's disk hooked beside it.
        var (hooked, booted) = target.BootsFromCopy
            ? ([target.Lun], DataDisks.LunOf(target.Lun, 1))
            : (Enumerable.Range(1, target.DataDisks).Select(number => DataDisks.LunOf(target.Lun, number)).ToList(), target.Lun);
        foreach (var (lun, number) in hooked.Select((lun, index) => (lun, index + 1)))
        {
            script.Append(CultureInfo.InvariantCulture, $"sanhook --drive {DataDrive(number)} --no-describe {SanUri(target, lun)} || goto no-data-disk\n");
        }
        script.Append(CultureInfo.InvariantCulture, $"sanboot {SanUri(target, booted)} || set ggnet-error ${{errno}}\n");
        AppendUnhookDataDisks(script, target.DataDisks);
        script.Append(CultureInfo.InvariantCulture, $"echo GGnet: the disk of session {target.SessionId} could not be attached (error ${{ggnet-error}}). Asking GGnet again in 5 seconds.\n");
        script.Append("sleep 5\n");
        // Over HTTP the PC tells GGnet why, so the dashboard can show it.
        AppendAskAgain(script, network, "attach", machine.ScriptTransport, "?attach-error=${ggnet-error}");
        if (target.DataDisks > 0)
        {
            script.Append(":no-data-disk\n");
            script.Append("set ggnet-error ${errno}\n");
            AppendUnhookDataDisks(script, target.DataDisks);
            script.Append(CultureInfo.InvariantCulture,
                $"echo GGnet: a data disk of session {target.SessionId} could not be attached (error ${{ggnet-error}}). Asking GGnet again in 5 seconds.\n");
            script.Append("sleep 5\n");
            AppendAskAgain(script, network, "attach", machine.ScriptTransport, "?attach-error=${ggnet-error}");
        }
        return script.ToString();
    }

    /// <summary>What a test-boot script prints when the firmware could not boot the disk: the bench ends the test at once.</summary>
    public const string TrialNotBooted = "GGNET-TRIAL-NOT-BOOTED";

    /// <summary>
    /// A candidate version's test boot in the bench PC: log in, boot the disk; if the firmware can't, say so with its error.
    /// The target's <see cref="BootTarget.SessionId"/> is not used.
    /// </summary>
    public static string ForTrial(BootTarget target)
    {
        var script = new StringBuilder("#!ipxe\n");
        script.Append(CultureInfo.InvariantCulture, $"echo GGnet: test boot of {IpxeText.Safe(target.ImageLabel)}\n");
        AppendLogin(script, target);
        script.Append(CultureInfo.InvariantCulture, $"sanboot {SanUri(target, target.Lun)} || set ggnet-error ${{errno}}\n");
        script.Append(CultureInfo.InvariantCulture, $"echo {TrialNotBooted} error ${{ggnet-error}}\n");
        return script.ToString();
    }

    // iPXE's SAN URI of one LUN of the session's target (iPXE reads the LUN in hexadecimal).
    private static string SanUri(BootTarget target, int lun) =>
        string.Create(CultureInfo.InvariantCulture, $"iscsi:{target.Portal}:::{lun:x}:{target.TargetIqn}");

    // The firmware's drive number of data disk <number>: 0x81, 0x82, … (the system disk is 0x80).
    private static string DataDrive(int number) => string.Create(CultureInfo.InvariantCulture, $"0x{0x80 + number:x2}");

    // Data disks hooked before a failure are unhooked, so asking again can hook them again.
    private static void AppendUnhookDataDisks(StringBuilder script, int dataDisks)
    {
        for (var number = 1; number <= dataDisks; number++)
        {
            script.Append(CultureInfo.InvariantCulture, $"sanunhook --drive {DataDrive(number)} ||\n");
        }
    }

    // An install: the session's disk is hooked as the first hard disk and described in the iBFT, so the installer's
    // own initiator logs in to its target again; then the PC boots the installer ISO, the target's CD-ROM on the next LUN.
    // The ISO is not described: the installer finds it as another LUN of the target it logs in to, as Windows Setup
    // needs once its drivers take over from the firmware. Both failures ask GGnet again, the disk unhooked.
    private static string Install(Machine machine, BootTarget target, NetworkSettings network)
    {
        var script = Header(machine);
        script.Append(CultureInfo.InvariantCulture, $"echo GGnet: {machine.Name} ({machine.MacAddress}), session {target.SessionId}: " +
            $"installing onto the disk of image {IpxeText.Safe(target.ImageLabel)}\n");
        AppendLogin(script, target);
        script.Append(":attach\n");
        script.Append(CultureInfo.InvariantCulture, $"sanhook --drive 0x80 iscsi:{target.Portal}:::{target.Lun}:{target.TargetIqn} || goto no-disk\n");
        script.Append(CultureInfo.InvariantCulture, $"echo GGnet: booting the installer ISO (LUN {target.InstallMediumLun} of the same target)\n");
        script.Append(CultureInfo.InvariantCulture, $"sanboot --drive 0x81 --no-describe iscsi:{target.Portal}:::{target.InstallMediumLun}:{target.TargetIqn} || set ggnet-error ${{errno}}\n");
        script.Append("sanunhook --drive 0x80 ||\n");
        script.Append("echo GGnet: the installer could not be booted (error ${ggnet-error}). Asking GGnet again in 5 seconds.\n");
        script.Append("sleep 5\n");
        AppendAskAgain(script, network, "attach", machine.ScriptTransport, "?attach-error=${ggnet-error}");
        script.Append(":no-disk\n");
        script.Append("set ggnet-error ${errno}\n");
        script.Append(CultureInfo.InvariantCulture, $"echo GGnet: the disk of session {target.SessionId} could not be attached (error ${{ggnet-error}}). Asking GGnet again in 5 seconds.\n");
        script.Append("sleep 5\n");
        AppendAskAgain(script, network, "attach", machine.ScriptTransport, "?attach-error=${ggnet-error}");
        return script.ToString();
    }

    // The initiator name and, when the target needs it, CHAP: what iPXE logs in with.
    private static void AppendLogin(StringBuilder script, BootTarget target)
    {
        script.Append(CultureInfo.InvariantCulture, $"set initiator-iqn {target.InitiatorIqn}\n");
        if (target.Chap is { } chap)
        {
            if (!chap.IsSafe)
            {
                throw new ArgumentException("CHAP credentials hold characters that can't be put in a boot script.", nameof(target));
            }
            script.Append(CultureInfo.InvariantCulture, $"set username {chap.User}\n");
            script.Append(CultureInfo.InvariantCulture, $"set password {chap.Secret}\n");
            if (chap.IsMutual)
            {
                script.Append(CultureInfo.InvariantCulture, $"set reverse-username {chap.MutualUser}\n");
                script.Append(CultureInfo.InvariantCulture, $"set reverse-password {chap.MutualSecret}\n");
            }
        }
    }

    // The target needs CHAP, and this copy of the script must not carry the secrets (a TFTP file anyone can read, or a
    // request from another address): the PC gets them by asking over HTTP from its own address.
    private static string ChapWithheld(Machine machine, BootTarget target, NetworkSettings network)
    {
        var script = Header(machine);
        script.Append(CultureInfo.InvariantCulture, $"echo GGnet: the disk of session {target.SessionId} is protected by CHAP.\n");
        script.Append("echo GGnet gives its credentials only over HTTP, to the PC's own address. Asking in 5 seconds.\n");
        script.Append(":chap\n");
        script.Append("sleep 5\n");
        script.Append(CultureInfo.InvariantCulture, $"chain --replace --autofree {network.BootUrl}/${{mac:hexhyp}}.ipxe ||\n");
        script.Append("goto chap\n");
        return script.ToString();
    }

    private static string Waiting(Machine machine, NetworkSettings network)
    {
        var script = Header(machine);
        script.Append(CultureInfo.InvariantCulture, $"echo GGnet: {machine.Name} ({machine.MacAddress}) has no session yet.\n");
        script.Append(CultureInfo.InvariantCulture, $"echo It boots as soon as an operator starts one. Checking every {network.WaitPollSeconds} seconds.\n");
        script.Append(":wait\n");
        script.Append(CultureInfo.InvariantCulture, $"sleep {network.WaitPollSeconds}\n");
        AppendAskAgain(script, network, "wait", machine.ScriptTransport);
        return script.ToString();
    }

    private static string Unknown(BootScriptRequest request, NetworkSettings network)
    {
        var script = new StringBuilder("#!ipxe\n");
        script.Append(CultureInfo.InvariantCulture, $"# GGnet: {request.MacAddress} is not a registered machine.\n");
        script.Append(CultureInfo.InvariantCulture, $"echo GGnet: this PC ({request.MacAddress}) is not registered yet.\n");
        script.Append("echo An admin can approve it under Machines, Discovered. Checking again every " +
            network.WaitPollSeconds.ToString(CultureInfo.InvariantCulture) + " seconds.\n");
        script.Append(":wait\n");
        script.Append(CultureInfo.InvariantCulture, $"sleep {network.WaitPollSeconds}\n");
        AppendAskAgain(script, network, "wait", ScriptTransport.Http);
        return script.ToString();
    }

    private static string LocalDisk(Machine machine)
    {
        var script = Header(machine);
        script.Append(CultureInfo.InvariantCulture, $"echo GGnet: {machine.Name} has no session. Booting from the local disk.\n");
        script.Append("sleep 3\n");
        script.Append("exit 1\n");
        return script.ToString();
    }

    private static string Disabled(Machine machine)
    {
        var script = Header(machine);
        script.Append(CultureInfo.InvariantCulture, $"echo GGnet: {machine.Name} is disabled in GGnet. Booting from the local disk.\n");
        script.Append("sleep 3\n");
        script.Append("exit 1\n");
        return script.ToString();
    }

    private static StringBuilder Header(Machine machine)
    {
        var script = new StringBuilder("#!ipxe\n");
        script.Append(CultureInfo.InvariantCulture, $"# GGnet boot script for {machine.Name} ({machine.MacAddress})\n");
        return script;
    }

    // Re-fetch this PC's script (over HTTP, else TFTP): the operator may have started or stopped its session meanwhile.
    private static void AppendAskAgain(StringBuilder script, NetworkSettings network, string label, ScriptTransport transport, string query = "")
    {
        if (transport == ScriptTransport.Http)
        {
            script.Append(CultureInfo.InvariantCulture, $"chain --replace --autofree {network.BootUrl}/${{mac:hexhyp}}.ipxe{query} ||\n");
        }
        script.Append(CultureInfo.InvariantCulture, $"chain --replace --autofree tftp://{network.ServerAddress}/{TftpScriptPath.OfThisPc} ||\n");
        script.Append(CultureInfo.InvariantCulture, $"goto {label}\n");
    }
}
