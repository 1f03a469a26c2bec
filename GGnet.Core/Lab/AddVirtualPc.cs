using System.Globalization;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Lab;

/// <summary>Registers a virtual PC: a machine named vpc-N with a generated MAC address (QEMU's 52:54:00 prefix).</summary>
public sealed class AddVirtualPc(IMachineRepository machines, ILab lab, TimeProvider clock)
{
    public async Task<Machine> ExecuteAsync(string actor, Firmware firmware, CancellationToken cancellationToken)
    {
        if (!lab.Status.Enabled)
        {
            throw new ConflictException("Virtual PCs live in lab mode only; GGnet runs in production mode.");
        }
        var existing = await machines.ListVirtualAsync(cancellationToken);
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var details = new MachineDetails(
                Hostname.Parse(FreeName(existing, attempt)),
                RandomMac(),
                IpAddress: null,
                Description: "Virtual PC in GGnet's lab",
                GroupId: null,
                firmware,
                InitiatorIqn: null,
                Enabled: true);
            if ((await machines.FindClashesAsync(details, exceptId: null, cancellationToken)).Count > 0)
            {
                continue;
            }
            var machine = Machine.Create(details, clock.GetUtcNow().UtcDateTime, actor, isVirtual: true);
            await machines.AddAsync(machine, cancellationToken);
            return machine;
        }
        throw new ConflictException("GGnet could not find a free name and MAC address for a virtual PC. Delete unused machines and try again.");
    }

    private static string FreeName(IReadOnlyList<Machine> existing, int skip)
    {
        var taken = existing.Select(m => m.Name.Value).ToHashSet(StringComparer.Ordinal);
        return Enumerable.Range(1, int.MaxValue - 1).Select(n => $"vpc-{n}").Where(name => !taken.Contains(name)).Skip(skip).First();
    }

    private static MacAddress RandomMac()
    {
        Span<byte> tail = stackalloc byte[3];
        System.Security.Cryptography.RandomNumberGenerator.Fill(tail);
        return MacAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"52:54:00:{tail[0]:x2}:{tail[1]:x2}:{tail[2]:x2}"));
    }
}
