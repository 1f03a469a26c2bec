namespace GGnet.Core.Ports;

/// <summary>Asks for the DHCP configuration and TFTP scripts to be brought up to date; many requests in a short window coalesce into one.</summary>
public interface IBootSyncTrigger
{
    void Request();
}
