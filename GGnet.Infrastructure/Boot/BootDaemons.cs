using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using GGnet.Core.Boot;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Dhcp;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Boot;

/// <summary>
/// Looks at the boot daemons themselves: the DHCP daemon by its pid file (the process must exist and be that program),
/// tftpd by asking it for a file over TFTP (any answer, even "file not found", proves it serves), and the TFTP root
/// by writing a file into it. In lab mode the lab watches its own daemons.
/// </summary>
public sealed class BootDaemons(IBootNetwork network, ILab lab, IOptions<DhcpOptions> dhcp, IOptions<BootOptions> boot) : IBootDaemons
{
    private static readonly TimeSpan TftpWait = TimeSpan.FromMilliseconds(1500);

    public Task<DaemonCheck?> CheckDhcpAsync(CancellationToken cancellationToken)
    {
        if (lab.Status.Enabled || network.Settings is not { } settings)
        {
            return Task.FromResult<DaemonCheck?>(null);
        }
        var (pidFile, program, service) = settings.DhcpMode == DhcpMode.Isc
            ? (dhcp.Value.PidFile, "dhcpd", "isc-dhcp-server")
            : (dhcp.Value.DnsmasqPidFile, "dnsmasq", "dnsmasq");
        if (string.IsNullOrWhiteSpace(pidFile))
        {
            return Task.FromResult<DaemonCheck?>(null);
        }
        return Task.FromResult<DaemonCheck?>(RunningProcess(pidFile) is { } pid && ProgramOf(pid) == program
            ? new DaemonCheck(true, $"{program} is running (pid {pid.ToString(CultureInfo.InvariantCulture)}).")
            : new DaemonCheck(false, $"{program} is not running (no {program} process behind {pidFile}): PCs get no boot address. " +
                $"Start it (systemctl start {service}); if it stops again, its log says why."));
    }

    public async Task<DaemonCheck?> CheckTftpAsync(CancellationToken cancellationToken)
    {
        if (lab.Status.Enabled)
        {
            return null;
        }
        if (!CanWrite(boot.Value.TftpRoot, out var why))
        {
            return new DaemonCheck(false, $"GGnet can't write the TFTP root {boot.Value.TftpRoot} ({why}): PCs' scripts can't be updated. Check that it exists and GGnet may write it.");
        }
        if (string.IsNullOrWhiteSpace(boot.Value.TftpProbeAddress))
        {
            return null;
        }
        if (!IPEndPoint.TryParse(boot.Value.TftpProbeAddress, out var endpoint))
        {
            return new DaemonCheck(false, $"Boot:TftpProbeAddress ({boot.Value.TftpProbeAddress}) is not an address and port like 127.0.0.1:69.");
        }
        if (endpoint.Port == 0)
        {
            endpoint.Port = 69;
        }
        return await AnswersAsync(endpoint, cancellationToken)
            ? new DaemonCheck(true, $"tftpd answers on {endpoint}.")
            : new DaemonCheck(false, $"tftpd does not answer on {endpoint}: PCs can't load iPXE or their scripts over TFTP. " +
                "Start it (systemctl start tftpd-hpa); if it stops again, its log says why.");
    }

    // A read request for a file that is never there: tftpd answers from a port of its own, with data or an error.
    private static async Task<bool> AnswersAsync(IPEndPoint tftpd, CancellationToken cancellationToken)
    {
        using var client = new UdpClient(tftpd.AddressFamily);
        var request = new List<byte> { 0, 1 };
        request.AddRange(Encoding.ASCII.GetBytes("ggnet-health-probe"));
        request.Add(0);
        request.AddRange(Encoding.ASCII.GetBytes("octet"));
        request.Add(0);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(TftpWait);
        try
        {
            await client.SendAsync(request.ToArray(), tftpd, wait.Token);
            var answer = await client.ReceiveAsync(wait.Token);
            return answer.Buffer.Length >= 4 && answer.Buffer[0] == 0 && answer.Buffer[1] is 3 or 5;
        }
        catch (Exception silent) when (silent is OperationCanceledException or SocketException)
        {
            return false;
        }
    }

    private static bool CanWrite(string folder, out string why)
    {
        var probe = Path.Combine(folder, ".ggnet-health-probe");
        try
        {
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
            why = "";
            return true;
        }
        catch (Exception problem) when (problem is IOException or UnauthorizedAccessException)
        {
            why = problem.Message;
            return false;
        }
    }

    private static int? RunningProcess(string pidFile)
    {
        try
        {
            return int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;
        }
        catch (Exception unreadable) when (unreadable is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? ProgramOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/comm").Trim();
        }
        catch (Exception gone) when (gone is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
