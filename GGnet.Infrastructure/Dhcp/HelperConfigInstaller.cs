namespace GGnet.Infrastructure.Dhcp;

/// <summary>The service's way: its root helper checks and installs the file (root's daemons read only root's files).</summary>
public sealed class HelperConfigInstaller(RootHelper.HelperClient helper) : IConfigInstaller
{
    public async Task<ConfigInstallReply> InstallAsync(ConfigInstallRequest request, CancellationToken cancellationToken)
    {
        var (reply, problem) = await helper.SendAsync<ConfigInstallReply>(new RootHelper.HelperRequest { DhcpConfig = request }, cancellationToken);
        return reply ?? new ConfigInstallReply(ConfigInstallOutcome.Unreachable, problem ?? "GGnet's helper sent an empty answer");
    }
}
