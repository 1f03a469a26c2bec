using System.Net;
using System.Net.Sockets;
using System.Text;
using GGnet.Core.Domain;
using GGnet.Core.Errors;
using GGnet.Core.Lab;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Lab;
using GGnet.Infrastructure.Processes;

namespace GGnet.Infrastructure.Boot;

/// <summary>
/// Magic packets to UDP port 9 at the boot network's broadcast address, out of the boot interface. In lab mode the
/// packet is sent inside the lab's network namespace, where GGnet's listener powers the virtual PC on.
/// </summary>
public sealed class WakeOnLanSender(IBootNetwork network, LabNetwork lab) : IWakeOnLan
{
    public const int Port = 9;

    public async Task<string> SendAsync(MacAddress macAddress, CancellationToken cancellationToken)
    {
        var settings = network.Settings
            ?? throw new ConflictException("Set up the boot network in Settings first: Wake-on-LAN goes to its broadcast address.");
        var to = new IPEndPoint(IPAddress.Parse(settings.Broadcast.Value), Port);
        if (lab.Namespace is { } labNetwork)
        {
            await SendAsync(macAddress, to, labNetwork, null, cancellationToken);
            return $"{to} on the lab network";
        }
        try
        {
            await SendAsync(macAddress, to, null, settings.Interface, cancellationToken);
        }
        catch (SocketException failed)
        {
            throw new IOException($"GGnet could not send the magic packet on {settings.Interface} ({failed.Message}). Check the boot network's interface in Settings.", failed);
        }
        return $"{to} via {settings.Interface}";
    }

    /// <summary>Sends one magic packet: from inside a network namespace when given, else from the host, out of the named interface.</summary>
    public static async Task SendAsync(MacAddress macAddress, IPEndPoint to, NetworkNamespace? inside, string? device, CancellationToken cancellationToken)
    {
        void SetUp(Socket socket)
        {
            socket.EnableBroadcast = true;
            if (!string.IsNullOrEmpty(device))
            {
                // SO_BINDTODEVICE: the broadcast leaves by the boot network's card, not the default route's.
                socket.SetRawSocketOption(SolSocket, SoBindToDevice, Encoding.ASCII.GetBytes(device + "\0"));
            }
        }
        using var socket = inside is null
            ? new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)
            : inside.CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp, SetUp);
        if (inside is null)
        {
            SetUp(socket);
        }
        await socket.SendToAsync(MagicPacket.For(macAddress), SocketFlags.None, to, cancellationToken);
    }

    private const int SolSocket = 1;
    private const int SoBindToDevice = 25;
}
